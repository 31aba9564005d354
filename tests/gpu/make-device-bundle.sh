#!/usr/bin/env bash
# Packs what tests/gpu/device-check.sh needs on a lent GPU machine, which runs another Linux
# distribution, has no build tools and reaches no network: the engine's programs built here
# (stripped), every library they load with the loader and libc of this Debian (so nothing of the
# other system's C library is used), Debian's Vulkan loader and the GL dispatch libraries NVIDIA's
# Vulkan driver needs (without them instance creation fails with VK_ERROR_INCOMPATIBLE_DRIVER),
# and the quantized fixtures of ../shared (the float ones would not fit the 64 MiB a call carries).
# A build with the CUDA backend (LATENT_CUDA=ON) adds its host and operation tests; configure it
# with -DLATENT_CUDA_ARCHITECTURES=90 for the lent machines (Hopper): every program carries the
# kernels, and one architecture keeps the bundle within what a call carries.
# Compressed with xz: gzip left it at 64 MiB once the CUDA programs joined (xz: 44 MiB).
#   tests/gpu/make-device-bundle.sh [BUILD=build]   ->  BUILD/device-bundle.tar.xz
# Then, with the device tool: run(command="tests/gpu/device-check.sh", carry=["build/device-bundle.tar.xz"])
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
shared=${LATENT_SHARED_DIR:-$root/../shared}
cd "$root"

programs=(latent-cli test_vulkan_ops test_vulkan_recorder test_vulkan_model test_vulkan_rounding test_model_fixtures)
if grep -q '^LATENT_CUDA:BOOL=ON' "$build/CMakeCache.txt"; then
    programs+=(test_cuda_host test_cuda_ops)
fi
cmake --build "$build" --target "${programs[@]}"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
bundle=$stage/device-bundle
mkdir -p "$bundle/bin" "$bundle/lib" "$bundle/fixtures"

for program in "${programs[@]}"; do
    strip --strip-debug -o "$bundle/bin/$program" "$build/bin/$program"
    # Every library the dynamic loader resolves, the loader and libc included.
    ldd "$build/bin/$program" | awk '/=> \//{print $3} /^[ \t]*\/lib/{print $1}' | while read -r library; do
        [ -e "$bundle/lib/$(basename "$library")" ] || cp -L "$library" "$bundle/lib/"
    done
done

# Debian's Vulkan loader and GL dispatch libraries, unpacked (not installed) from their packages.
debs=$stage/debs
mkdir -p "$debs"
(cd "$debs" && apt-get download libvulkan1 libglvnd0 libglx0 libgl1 libegl1 libopengl0 libgles2 >/dev/null)
for deb in "$debs"/*.deb; do
    dpkg -x "$deb" "$debs/root"
done
cp -a "$debs"/root/usr/lib/x86_64-linux-gnu/*.so* "$bundle/lib/"

# The quantized fixtures with llama.cpp's logits (the tests skip the float ones, not carried).
if [ -d "$shared/fixtures" ]; then
    cp "$shared/fixtures/README.md" "$bundle/fixtures/"
    for model in "$shared"/fixtures/*.gguf; do
        case "$model" in *-f32.gguf) continue ;; esac
        cp "${model%.gguf}".* "$bundle/fixtures/"
    done
else
    echo "make-device-bundle: no fixtures at $shared/fixtures: the parity check will skip them" >&2
fi

tar -C "$stage" -cf - device-bundle | xz -T0 -6 >"$build/device-bundle.tar.xz"
size=$(du -m "$build/device-bundle.tar.xz" | cut -f1)
echo "$build/device-bundle.tar.xz: ${size} MiB (a device call carries at most 64 MiB)"
[ "$size" -lt 60 ] || { echo "make-device-bundle: the bundle is too large to carry" >&2; exit 1; }
