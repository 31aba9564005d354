#!/usr/bin/env bash
# Completion as one types, in the real window with a DeepSeek-Coder-1.3B-shaped Q4_0 model:
# keystroke to ghost text on screen (p50, p95, max) on a 300-line Python file, cold (nothing of the
# file in the completion cache: a different file each sample) and warm (the next keystroke on the
# same line, not what the suggestion starts with, so a new request follows the debounce); a
# keystroke typed through a suggestion (no request); the engine's account of each request (prompt,
# evaluated and generated tokens, seconds); and whether the UI thread keeps up while a chat answer
# (256 tokens at most) streams beside completions: gaps between the firings of an 8 ms timer on
# the UI thread (the longest gap is its longest block; idle and beside one completion alone for
# comparison), the chat scene's frame intervals, and the UI thread's work during the answer by
# event and receiver.
#   tests/bench/completion-bench.sh [SAMPLES=20] [DEBOUNCE_MS=250]
#   MODEL=FILE      a model to use (any DeepSeek-Coder GGUF); by default the random-weights
#                   coder-1.3b Q4_0 of build/bench/models/, made once (about a minute)
#   THREADS=N       engine threads (default: the app's, the physical cores); BACKEND=cpu|auto (auto)
#   JSON=1          one JSON line (every sample included) instead of the table
# Honest notes: the model's weights are random, so its suggestions are gibberish of random length
# (an empty one shows nothing: counted apart, never in the latencies), and what it generates before
# the stop rule is not what a trained model would; the evaluation side (prompt tokens, evaluated
# tokens) is the real one. Warm latency includes the debounce by design. A keystroke whose request
# the app never made (its timer fired early; see bench_completion.cpp) is counted as "lost" and
# followed by another key, so the latencies are those of the requests that were made. The window runs on Xvfb,
# drawn by the CPU, so paint times are an upper bound for a desktop with a GPU; keys are delivered
# to the editor as Qt events (QTest), without an X round trip. Run nothing else meanwhile: on a
# 2-core machine the engine's threads and the UI thread share the cores.
set -euo pipefail
samples=${1:-20}
debounce=${2:-250}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
build=${BUILD_DIR:-build}
if ! command -v xvfb-run >/dev/null; then
    echo "completion-bench.sh: needs xvfb-run (Debian package xvfb): the window runs on a virtual X server" >&2
    exit 1
fi
cmake --build "$build" --target latent-cli bench_completion >/dev/null
model=${MODEL:-}
if [ -z "$model" ]; then
    mkdir -p "$build/bench/models"
    model=$build/bench/models/coder-1.3b-q4_0.gguf
    [ -s "$model" ] || "$build/bin/latent-cli" make-test-model --arch llama --preset coder-1.3b --type Q4_0 \
        -o "$model" >/dev/null 2>&1
fi
args=(--model "$model" --samples "$samples" --debounce "$debounce" --backend "${BACKEND:-auto}")
[ -n "${THREADS:-}" ] && args+=(--threads "$THREADS")
[ "${JSON:-0}" = 1 ] && args+=(--json)

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# The window's settings, caches and runtime files of this run stay in the scratch folder.
export XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache"
export XDG_RUNTIME_DIR="$scratch/runtime"
mkdir -m 700 "$XDG_RUNTIME_DIR"
QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" "$build/bin/bench_completion" "${args[@]}"
