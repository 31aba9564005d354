#!/usr/bin/env bash
# The engine and latent-cli on Windows, proven under wine: cross-compiles them with MinGW-w64 (the
# `mingw` preset) and checks, against the native Linux build of latent-cli:
#   - engine_on_windows.exe: a GGUF file under a non-ASCII folder name ("模型 ü") mapped and parsed,
#     processor features and cores detected, a missing vulkan-1.dll reported as such, and a CPU
#     generation identical to the native `latent-cli run`;
#   - latent-cli.exe: --version, make-test-model (byte-identical to the native file, written under
#     the non-ASCII name), `run -n 8 --seed 1` identical to native with each CPU kernel table the
#     processor has, and `devices` without vulkan-1.dll: an error that says so, not a crash.
# Usage: tests/windows/run-under-wine.sh [NATIVE_BUILD_DIR]   (default: build, with latent-cli built)
set -euo pipefail

source_dir=$(cd "$(dirname "$0")/../.." && pwd)
# Absolute: the script changes folder before it runs the native build's latent-cli.
native_cli=$(realpath -m "${1:-$source_dir/build}/bin/latent-cli")
windows_bin=$source_dir/build-mingw/bin
work=$source_dir/build-mingw/wine-check
folder="模型 ü"
prompt="def fibonacci(n):"

for tool in wine cmake ninja x86_64-w64-mingw32-g++-posix; do
    command -v "$tool" >/dev/null || {
        echo "error: $tool is missing; install wine64, cmake, ninja-build and g++-mingw-w64-x86-64-posix" >&2
        exit 1
    }
done
[[ -x $native_cli ]] || {
    echo "error: $native_cli is missing: build the native latent-cli first (cmake --build build --target latent-cli)" >&2
    exit 1
}

cd "$source_dir"
"$source_dir/tests/windows/mingw-deps.sh"
cmake --preset mingw >/dev/null
cmake --build --preset mingw

export WINEDEBUG=-all
export WINEPREFIX=${WINEPREFIX:-$source_dir/build-mingw/wine-prefix}
[[ -d $WINEPREFIX ]] || wineboot --init >/dev/null 2>&1
failures=0
pass() { echo "ok: $*"; }
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
# Windows ends printed lines with CR LF; the comparisons are of the text.
on_windows() { wine "$windows_bin/$1.exe" "${@:2}" | tr -d '\r'; }

rm -rf "$work"
mkdir -p "$work/$folder"
cd "$work"

version=$(on_windows latent-cli --version)
[[ $version == "$("$native_cli" --version)" ]] && pass "latent-cli.exe --version: $version" ||
    fail "latent-cli.exe --version printed '$version'"

for model in "llama tiny" "deepseek2 tiny-v2-lite"; do
    read -r arch preset <<<"$model"
    "$native_cli" make-test-model --arch "$arch" --preset "$preset" --type Q8_0 -o "native-$preset.gguf" 2>/dev/null
    on_windows latent-cli make-test-model --arch "$arch" --preset "$preset" --type Q8_0 -o "$folder/$preset.gguf" 2>/dev/null
    cmp -s "native-$preset.gguf" "$folder/$preset.gguf" &&
        pass "make-test-model $preset: the Windows file under '$folder' is byte-identical to the native one" ||
        fail "make-test-model $preset: the Windows file differs from the native one (or was not written)"

    for kernels in portable avx2 avx512; do
        expected=$(LATENT_CPU_KERNELS=$kernels "$native_cli" run -m "native-$preset.gguf" -p "$prompt" -n 8 --seed 1 \
                   --backend cpu --threads 2 2>/dev/null)
        actual=$(LATENT_CPU_KERNELS=$kernels on_windows latent-cli run -m "$folder/$preset.gguf" -p "$prompt" -n 8 \
                 --seed 1 --backend cpu --threads 2 2>/dev/null) || true
        [[ -n $expected && $actual == "$expected" ]] &&
            pass "run $preset -n 8 --seed 1, $kernels kernels: the same text as native" ||
            fail "run $preset, $kernels kernels: Windows '$actual', native '$expected'"
    done
done

# The Qt-free program, on the file under the non-ASCII name, with no Vulkan loader.
if WINEDLLOVERRIDES=vulkan-1=d on_windows engine_on_windows . "$prompt" 8 1 >engine_on_windows.out 2>engine_on_windows.err; then
    pass "engine_on_windows.exe: every check passed"
else
    fail "engine_on_windows.exe: $(grep -c FAIL engine_on_windows.err) checks failed"
fi
sed 's/^/    /' engine_on_windows.err
native_text=$("$native_cli" run -m native-tiny.gguf -p "$prompt" -n 8 --seed 1 --backend cpu --threads 2 2>/dev/null)
[[ $(tail -n +2 engine_on_windows.out) == "$native_text" ]] &&
    pass "engine_on_windows.exe generates the same text as the native latent-cli run" ||
    fail "engine_on_windows.exe generated '$(tail -n +2 engine_on_windows.out)', native '$native_text'"
# Processor features: the kernel table chosen on Windows is the one the native build chooses.
native_choice=$("$native_cli" run -m native-tiny.gguf -p "$prompt" -n 1 --backend cpu --threads 2 2>&1 >/dev/null |
                grep -o '[a-z0-9]* kernels')
[[ $(head -n 1 engine_on_windows.out) == "cpu kernels: ${native_choice% kernels}" ]] &&
    pass "processor features detected on Windows: $native_choice, as natively" ||
    fail "processor features: Windows chose '$(head -n 1 engine_on_windows.out)', native '$native_choice'"

status=0
WINEDLLOVERRIDES=vulkan-1=d wine "$windows_bin/latent-cli.exe" devices >devices.out 2>&1 || status=$?
devices=$(tr -d '\r' <devices.out)
[[ $status == 1 && $devices == *"vulkan-1.dll is not installed"* ]] &&
    pass "latent-cli.exe devices without vulkan-1.dll: $devices" ||
    fail "latent-cli.exe devices without vulkan-1.dll: exit $status, '$devices'"

if ((failures > 0)); then
    echo "$failures checks failed" >&2
    exit 1
fi
echo "all Windows checks passed under wine"
