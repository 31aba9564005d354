#!/usr/bin/env bash
# The GPU check, run on a lent GPU machine through the device tool (no build there: the bundle of
# tests/gpu/make-device-bundle.sh carries the programs, their libraries and the fixtures):
#   1. the devices the engine sees;
#   2. the Vulkan operation, rounding and model tests, and the fixtures' parity against llama.cpp's logits
#      on --backend vulkan;
#   3. where the bundle holds the CUDA backend: its host tests (the device seen), its operation tests
#      against the CPU, the same under compute-sanitizer's memcheck and racecheck where the machine
#      has it, and the fixtures on --backend cuda (test_model_fixtures' cuda rows, in step 2);
#   4. `latent-cli bench` on the three files of issues 18 and 19's tables, on every GPU backend,
#      generated there with make-test-model (deterministic: the same bytes as anywhere else),
#      V2-Lite's in the background first because it takes longest;
#   5. `bench --profile` of the first file on every GPU backend: the device's time per operation kind.
# Everything also lands in $OUT (the device tool brings it back); the table is printed last.
#   tests/gpu/device-check.sh [BUNDLE=build/device-bundle.tar.xz]
# CHECK_MODELS="coder-q4_0 coder-q8_0 v2lite-q4_0" (environment) picks the bench files and
# CHECK_BENCH="-p 16 -n 4 -r 1" replaces the bench lengths: a dry run on this machine (lavapipe) with
# CHECK_MODELS=coder-q4_0 CHECK_BENCH="-p 16 -n 4 -r 1" proves the script before a lent minute is spent.
set -uo pipefail
bundle_archive=${1:-build/device-bundle.tar.xz}
out=${OUT:-$(mktemp -d)}
work=$(mktemp -d)
models=${CHECK_MODELS:-coder-q4_0 coder-q8_0 v2lite-q4_0}
# tar's xz, else Python's (the GPU machines' image has Python; xz itself may be missing there).
tar -C "$work" -xJf "$bundle_archive" 2>/dev/null ||
    python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$bundle_archive" "$work" ||
    { echo "device-check: cannot unpack $bundle_archive" >&2; exit 1; }
bundle=$work/device-bundle

# The programs run under this bundle's own loader and libraries (Debian's), the GPU driver's
# libraries still found where the other system installed them.
run() {
    local program=$1
    shift
    "$bundle/lib/ld-linux-x86-64.so.2" --library-path "$bundle/lib" "$bundle/bin/$program" "$@"
}
cli() { run latent-cli "$@"; }

log() { echo "== $*" | tee -a "$out/check.log"; }
threads=$(nproc)

model_arguments() {
    case "$1" in
    coder-q4_0) echo "--arch llama --preset coder-1.3b --type Q4_0" ;;
    coder-q8_0) echo "--arch llama --preset coder-1.3b --type Q8_0" ;;
    v2lite-q4_0) echo "--arch deepseek2 --preset v2-lite --type Q4_0" ;;
    esac
}
bench_lengths() {
    [ -n "${CHECK_BENCH:-}" ] && { echo "$CHECK_BENCH"; return; }
    case "$1" in
    v2lite-*) echo "-p 256 -n 64 -r 3" ;;
    *) echo "-p 512 -n 128 -r 3" ;;
    esac
}

declare -A making
for model in $models; do
    # shellcheck disable=SC2046
    cli make-test-model $(model_arguments "$model") -o "$work/$model.gguf" >"$out/make-$model.log" 2>&1 &
    making[$model]=$!
done

log "devices"
cli devices 2>&1 | tee "$out/devices.txt"
cli version 2>&1 | tee -a "$out/devices.txt"

status=0
log "Vulkan operation tests"
run test_vulkan_ops >"$out/test_vulkan_ops.txt" 2>&1 || status=1
tail -n 3 "$out/test_vulkan_ops.txt"
log "Vulkan rounding: the activations quantized on the device, byte for byte the CPU's"
run test_vulkan_rounding >"$out/test_vulkan_rounding.txt" 2>&1 || status=1
tail -n 3 "$out/test_vulkan_rounding.txt"
log "Vulkan recording: barriers between dependent commands, repeated submissions replayed"
run test_vulkan_recorder >"$out/test_vulkan_recorder.txt" 2>&1 || status=1
tail -n 3 "$out/test_vulkan_recorder.txt"
log "Vulkan model tests"
run test_vulkan_model >"$out/test_vulkan_model.txt" 2>&1 || status=1
tail -n 3 "$out/test_vulkan_model.txt"
log "fixtures' parity with llama.cpp (the float fixtures are not carried: they skip)"
LATENT_SHARED_DIR=$bundle run test_model_fixtures >"$out/test_model_fixtures.txt" 2>&1 || status=1
grep -E "^(PASS|FAIL|SKIP|XFAIL|QWARN|QDEBUG)|Totals|error" "$out/test_model_fixtures.txt" | grep -v "^SKIP" | tail -n 40

backends=vulkan
if [ -x "$bundle/bin/test_cuda_ops" ]; then
    backends="cuda vulkan"
    log "CUDA host tests: the device as the engine sees it"
    run test_cuda_host >"$out/test_cuda_host.txt" 2>&1 || status=1
    tail -n 3 "$out/test_cuda_host.txt"
    log "CUDA operation tests against the CPU"
    run test_cuda_ops >"$out/test_cuda_ops.txt" 2>&1 || status=1
    grep -E "^(FAIL|SKIP)|Totals" "$out/test_cuda_ops.txt" | tail -n 20
    if command -v compute-sanitizer >/dev/null; then
        # Bounded: the checked kernels run many times slower, and the whole check has ~6 minutes
        # (a timeout shows as exit 124 in the log and fails the check).
        for tool in memcheck racecheck; do
            log "compute-sanitizer --tool $tool over the CUDA operation tests (at most 100 s)"
            timeout 100 compute-sanitizer --tool "$tool" --error-exitcode 1 "$bundle/lib/ld-linux-x86-64.so.2" \
                --library-path "$bundle/lib" "$bundle/bin/test_cuda_ops" >"$out/sanitizer-$tool.txt" 2>&1 ||
                { echo "exit $?" >>"$out/sanitizer-$tool.txt"; status=1; }
            grep -E "ERROR SUMMARY|Totals" "$out/sanitizer-$tool.txt" | tail -n 3
        done
    else
        log "compute-sanitizer is not on this machine: memcheck and racecheck not run"
    fi
fi

log "bench on --backend $backends (tokens/s)"
table=$out/bench.txt
printf '| model | lengths | backend | pp tokens/s | tg tokens/s |\n|---|---|---|---|---|\n' >"$table"
for model in $models; do
    if ! wait "${making[$model]}"; then
        echo "| $model | make-test-model failed: see make-$model.log |||" >>"$table"
        status=1
        continue
    fi
    for backend in $backends; do
        json=$out/bench-$model-$backend.json
        # shellcheck disable=SC2046
        cli bench -m "$work/$model.gguf" --backend "$backend" --threads "$threads" $(bench_lengths "$model") --json \
            >"$json" 2>"$out/bench-$model-$backend.log" || status=1
        name=$(sed -n 's/.*"backend": "\([^"]*\)".*/\1/p' "$json")
        pp=$(sed -n 's/.*"pp_tok_s": \([0-9.]*\).*/\1/p' "$json")
        tg=$(sed -n 's/.*"tg_tok_s": \([0-9.]*\).*/\1/p' "$json")
        echo "| $model | $(bench_lengths "$model") | $name | $pp | $tg |" >>"$table"
    done
done
cat "$table"

# Where the time goes (issue 18's "before/after profiles"): the device's time per operation kind from
# timestamps (Vulkan) or events (CUDA), beside the CPU's time recording it, on the first model.
first=${models%% *}
if [ -f "$work/$first.gguf" ]; then
    for backend in $backends; do
        log "bench --profile of $first on $backend"
        # shellcheck disable=SC2086
        cli bench -m "$work/$first.gguf" --backend "$backend" --threads "$threads" ${CHECK_BENCH:--p 128 -n 16 -r 1} --profile \
            >"$out/profile-$first-$backend.txt" 2>&1 || status=1
        sed -n '/^decode:/,$p' "$out/profile-$first-$backend.txt" | head -n 14
    done
fi
rm -rf "$work"
exit "$status"
