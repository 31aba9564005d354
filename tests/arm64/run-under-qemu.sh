#!/usr/bin/env bash
# The engine's ARM64 kernel tables, proven under qemu without ARM hardware: cross-compiles the
# engine, latent-cli and the CPU kernels' tests with Debian's g++-aarch64-linux-gnu (the `arm64`
# preset, against multiarch arm64 libraries) and runs them under qemu-aarch64-static:
#   - with -cpu max (dotprod and i8mm): test_thread_pool (the pool's atomics on a weakly ordered
#     processor, as qemu emulates one); test_cpu_kernels, test_block_kernels and
#     test_kernel_tables hold the neon, neon-dotprod and neon-i8mm tables to the portable one bit
#     for bit;
#     test_model_fixtures runs ../shared's fixtures on the CPU against llama.cpp's logits;
#   - with -cpu cortex-a53 (ARMv8.0, no dotprod): test_cpu_kernels and test_block_kernels again,
#     on the tables it has (test_kernel_tables ran the neon table above already, for 3 minutes);
#   - latent-cli: the table chosen on each processor (neon-i8mm on max, neon-dotprod on cortex-a76,
#     which has dotprod but not i8mm, neon on cortex-a53), and the logits of a Q4_0 and a Q4_K_M
#     model with every table, bit for bit the native build's.
# Usage: tests/arm64/run-under-qemu.sh [NATIVE_BUILD_DIR]   (default: build, with latent-cli built)
set -euo pipefail

source_dir=$(cd "$(dirname "$0")/../.." && pwd)
native_cli=$(realpath -m "${1:-$source_dir/build}/bin/latent-cli")
build=$source_dir/build-arm64
work=$build/qemu-check
prompt="def fibonacci(n):"
kernel_tests="test_cpu_kernels|test_block_kernels"

for tool in aarch64-linux-gnu-g++ qemu-aarch64-static cmake ninja; do
    command -v "$tool" >/dev/null || {
        echo "error: $tool is missing; install g++-aarch64-linux-gnu, qemu-user-static, cmake and ninja-build" >&2
        exit 1
    }
done
[[ -e /usr/lib/aarch64-linux-gnu/cmake/Qt6Test/Qt6TestConfig.cmake && -e /usr/lib/aarch64-linux-gnu/pkgconfig/libpcre2-8.pc ]] || {
    echo "error: the arm64 libraries are missing: dpkg --add-architecture arm64 && apt-get update &&" \
         "apt-get install libc6-dev:arm64 libstdc++-12-dev:arm64 qt6-base-dev:arm64 libfmt-dev:arm64" \
         "libpcre2-dev:arm64 libcpp-httplib-dev:arm64" >&2
    exit 1
}
[[ -x $native_cli ]] || {
    echo "error: $native_cli is missing: build the native latent-cli first (cmake --build build --target latent-cli)" >&2
    exit 1
}

cd "$source_dir"
cmake --preset arm64 >/dev/null
cmake --build --preset arm64

failures=0
pass() { echo "ok: $*"; }
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
export LATENT_REQUIRE_SHARED=1
LATENT_QEMU_CPU=max ctest --test-dir "$build" --output-on-failure \
    -R "^(test_thread_pool|$kernel_tests|test_kernel_tables|test_model_fixtures)\$" &&
    pass "-cpu max: the thread pool, the kernel tests and the fixtures" ||
    fail "-cpu max: the thread pool, the kernel tests or the fixtures"
LATENT_QEMU_CPU=cortex-a53 ctest --test-dir "$build" --output-on-failure -R "^($kernel_tests)\$" &&
    pass "-cpu cortex-a53: the kernel tests" || fail "-cpu cortex-a53: the kernel tests"

on_arm() { LATENT_QEMU_CPU=$1 "$source_dir/tests/arm64/qemu-aarch64.sh" "$build/bin/latent-cli" "${@:2}"; }
rm -rf "$work"
mkdir -p "$work"
cd "$work"
# Q4_0 (the interleaved groups on neon-dotprod and neon-i8mm) and a Q4_K_M mix (K-quants, Q6_K),
# made natively.
native() { "$native_cli" "$@" >native.log 2>&1 || { cat native.log >&2; exit 1; }; }
native make-test-model --arch llama --preset small --type Q4_0 -o small-q4_0.gguf
native make-test-model --arch llama --preset small --type F32 -o small-f32.gguf
native quantize small-f32.gguf small-q4_k_m.gguf Q4_K_M
# The table each processor gets.
for cpu_and_table in "max neon-i8mm" "cortex-a76 neon-dotprod" "cortex-a53 neon"; do
    read -r cpu table <<<"$cpu_and_table"
    chosen=$(on_arm "$cpu" run -m small-q4_0.gguf -p "$prompt" -n 1 --backend cpu --threads 2 2>&1 >/dev/null |
             grep -o '[a-z0-9-]* kernels' || true)
    [[ $chosen == "$table kernels" ]] && pass "-cpu $cpu: latent-cli chose $chosen" ||
        fail "-cpu $cpu: latent-cli chose '$chosen', expected $table"
done
# Every table's logits, bit for bit the native build's (the float steps are fixed, float_sums.h).
tokens=1,5,9,200,31,77,4,1000,52,8,19,300
for model in small-q4_0 small-q4_k_m; do
    LATENT_CPU_KERNELS=portable "$native_cli" logits -m $model.gguf --tokens $tokens --backend cpu --threads 2 \
        --out $model-native.f32 >/dev/null 2>&1
    for table in portable neon neon-dotprod neon-i8mm; do
        LATENT_CPU_KERNELS=$table on_arm max logits -m $model.gguf --tokens $tokens --backend cpu --threads 2 \
            --out $model-$table.f32 >/dev/null 2>&1 || true
        cmp -s $model-native.f32 $model-$table.f32 &&
            pass "$model, $table kernels under qemu: the native build's logits, bit for bit" ||
            fail "$model, $table kernels under qemu: logits differ from the native build's (or were not written)"
    done
done

if ((failures > 0)); then
    echo "$failures checks failed" >&2
    exit 1
fi
echo "all ARM64 checks passed under qemu"
