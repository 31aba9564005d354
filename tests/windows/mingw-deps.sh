#!/usr/bin/env bash
# Stages what the MinGW-w64 build of the engine and latent-cli links against in one prefix
# (packaging/windows/mingw-w64.cmake searches it and nothing of the host's /usr):
#   - PCRE2 (the tokenizer's pre-tokenizer regexes): Debian builds it for Linux only, so it is built
#     here for Windows from Debian's own source package (`apt-get source pcre2`, needs deb-src);
#   - fmt, CLI11, nlohmann/json and the Vulkan headers: Debian's host headers, linked in one by one;
#     fmt is used header-only (Debian's libfmt.so is a Linux library);
#   - an import library for vulkan-1.dll, which the engine opens at run time (LoadLibraryW) and never
#     links: CMake's FindVulkan wants a library beside the headers.
# Usage: tests/windows/mingw-deps.sh [PREFIX_PARENT]   (default: build-mingw-deps beside the sources)
# Done once; later runs find the prefix complete and return at once.
set -euo pipefail

source_dir=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$source_dir/build-mingw-deps}
prefix=$work/prefix
toolchain=$source_dir/packaging/windows/mingw-w64.cmake

if [[ -f $prefix/.complete ]]; then
    exit 0
fi
for tool in x86_64-w64-mingw32-g++-posix x86_64-w64-mingw32-dlltool cmake ninja dpkg-source; do
    command -v "$tool" >/dev/null || {
        echo "error: $tool is missing; install g++-mingw-w64-x86-64-posix, cmake, ninja-build and dpkg-dev" >&2
        exit 1
    }
done
for header in fmt/format.h CLI/CLI.hpp nlohmann/json.hpp vulkan/vulkan.h; do
    [[ -f /usr/include/$header ]] || {
        echo "error: /usr/include/$header is missing; install libfmt-dev, libcli11-dev, nlohmann-json3-dev and libvulkan-dev" >&2
        exit 1
    }
done

mkdir -p "$work/src" "$prefix/include" "$prefix/lib" "$prefix/share/cmake" "$prefix/lib/cmake/fmt"

# Header-only packages: their headers and Debian's relocatable CMake package files.
for folder in fmt CLI nlohmann vulkan vk_video; do
    ln -sfn "/usr/include/$folder" "$prefix/include/$folder"
done
for package in CLI11 nlohmann_json; do
    ln -sfn "/usr/share/cmake/$package" "$prefix/share/cmake/$package"
done
cat >"$prefix/lib/cmake/fmt/fmt-config.cmake" <<'EOF'
# fmt header-only, from Debian's headers (written by tests/windows/mingw-deps.sh).
if(NOT TARGET fmt::fmt)
    add_library(fmt::fmt INTERFACE IMPORTED)
    set_target_properties(fmt::fmt PROPERTIES
        INTERFACE_INCLUDE_DIRECTORIES "${CMAKE_CURRENT_LIST_DIR}/../../../include"
        INTERFACE_COMPILE_DEFINITIONS FMT_HEADER_ONLY=1)
endif()
EOF

printf 'LIBRARY vulkan-1.dll\nEXPORTS\n    vkGetInstanceProcAddr\n' >"$work/vulkan-1.def"
x86_64-w64-mingw32-dlltool -d "$work/vulkan-1.def" -l "$prefix/lib/libvulkan-1.dll.a"

# PCRE2 from Debian's source package, static, with the JIT as on Linux. Its libpcre2-8.pc leaves
# PCRE2_STATIC_CFLAG unset, and without PCRE2_STATIC pcre2.h declares DLL imports on Windows.
pcre2_source=$(find "$work/src" -maxdepth 1 -type d -name 'pcre2-*' | head -n 1)
if [[ -z $pcre2_source ]]; then
    (cd "$work/src" && apt-get source --only-source pcre2) || {
        echo "error: 'apt-get source pcre2' failed: Debian's source packages must be reachable; add a" >&2
        echo "       'Types: deb-src' entry for bookworm to /etc/apt/sources.list.d/ and run apt-get update" >&2
        exit 1
    }
    pcre2_source=$(find "$work/src" -maxdepth 1 -type d -name 'pcre2-*' | head -n 1)
fi
cmake -S "$pcre2_source" -B "$work/pcre2-build" -G Ninja --toolchain "$toolchain" \
    -DLATENT_MINGW_DEPS="$prefix" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
    -DBUILD_SHARED_LIBS=OFF -DBUILD_STATIC_LIBS=ON -DPCRE2_SUPPORT_JIT=ON -DPCRE2_SUPPORT_UNICODE=ON \
    -DPCRE2_STATIC_CFLAG=-DPCRE2_STATIC \
    -DPCRE2_BUILD_PCRE2GREP=OFF -DPCRE2_BUILD_TESTS=OFF >"$work/pcre2-configure.log"
cmake --build "$work/pcre2-build" --target install >"$work/pcre2-build.log"

touch "$prefix/.complete"
