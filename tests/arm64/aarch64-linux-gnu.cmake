# Cross-compiling the engine, latent-cli and the CPU kernels' tests for 64-bit ARM Linux with
# Debian's g++-aarch64-linux-gnu, against the arm64 libraries of a multiarch install (.ci/run's
# ARM64 step installs them; tests/arm64/run-under-qemu.sh names them where they are missing). Used
# by the `arm64` configure preset; the programs run under qemu-aarch64-static, which ctest calls as
# the emulator.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(_triplet aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${_triplet}-gcc)
set(CMAKE_CXX_COMPILER ${_triplet}-g++)
# Multiarch: the arm64 libraries live in /usr/lib/aarch64-linux-gnu beside the host's, and CMake
# looks there, not in the host's folder (CMAKE_LIBRARY_ARCHITECTURE comes from the compiler);
# headers in /usr/include are shared, the arch-specific ones in /usr/include/aarch64-linux-gnu.
set(CMAKE_FIND_ROOT_PATH /usr/${_triplet})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER) # build tools (moc) run on the host
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${_triplet}/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
# Qt's host tools (moc) come from the host's qt6-base-dev-tools.
set(QT_HOST_PATH /usr CACHE PATH "Where the host's Qt tools are")

# Every program (the tests ctest runs) runs under qemu-aarch64-static, through a script that takes
# the emulated processor from LATENT_QEMU_CPU at run time.
set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/qemu-aarch64.sh)
