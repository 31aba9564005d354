# Cross-compiling the engine and latent-cli for 64-bit Windows with Debian's MinGW-w64
# (g++-mingw-w64-x86-64-posix: the POSIX thread model, which std::thread needs).
# Used by the `mingw` configure preset; tests/windows/run-under-wine.sh runs the result under wine.

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(_triplet x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${_triplet}-gcc-posix)
set(CMAKE_CXX_COMPILER ${_triplet}-g++-posix)
set(CMAKE_RC_COMPILER ${_triplet}-windres)

# Libraries Debian does not build for MinGW (PCRE2) and the header-only ones it ships for the host
# (fmt, CLI11, nlohmann/json, the Vulkan headers) are staged in this prefix by
# tests/windows/mingw-deps.sh; nothing of the host's /usr is searched, so no Linux header or
# library can slip into the Windows build.
set(LATENT_MINGW_DEPS "${CMAKE_CURRENT_LIST_DIR}/../../build-mingw-deps/prefix" CACHE PATH
    "Prefix holding the MinGW builds of the dependencies (tests/windows/mingw-deps.sh makes it)")
set(CMAKE_FIND_ROOT_PATH /usr/${_triplet} ${LATENT_MINGW_DEPS})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER) # build tools (glslangValidator) run on the host
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(ENV{PKG_CONFIG_LIBDIR} "${LATENT_MINGW_DEPS}/lib/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# Windows guarantees a 16-byte aligned stack and GCC does not realign it for 32- and 64-byte
# AVX spills (GCC bug 54412), so its aligned vector moves would fault in the AVX2 and AVX-512
# kernels; the assembler turns them into unaligned moves, which are as fast on aligned data.
set(CMAKE_C_FLAGS_INIT "-Wa,-muse-unaligned-vector-move")
set(CMAKE_CXX_FLAGS_INIT "-Wa,-muse-unaligned-vector-move")
# One .exe with no MinGW runtime DLLs (libstdc++, libgcc, winpthread) to ship beside it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
