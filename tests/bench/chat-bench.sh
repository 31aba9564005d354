#!/usr/bin/env bash
# The chat's speed where people feel it: the chat store (saving, streaming, opening, searching)
# and the real window opening a conversation of 5,000 messages and scrolling through it.
#   tests/bench/chat-bench.sh [MESSAGES=5000]       (BUILD_DIR: the build folder, build by default)
# The window runs on a virtual X server (xvfb-run) when there is one, offscreen otherwise; both
# draw with the CPU (llvmpipe or Qt's software path), so frame times are an upper bound for a
# desktop with a GPU.
set -euo pipefail
messages=${1:-5000}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
build=${BUILD_DIR:-build}
cmake --build "$build" --target latent-cli bench_chat_store bench_open_conversation >/dev/null
mkdir -p "$build/bench"
model=$build/bench/chat-bench-tiny.gguf
if [ ! -s "$model" ]; then
    "$build/bin/latent-cli" make-test-model --preset tiny-coder -o "$model" >/dev/null 2>&1
fi

echo "== chat store (bench_chat_store)"
"$build/bin/bench_chat_store"

echo "== window (bench_open_conversation, $messages messages)"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# The window's settings of this run stay in the scratch folder, never the user's.
export XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/runtime"
mkdir -m 700 "$XDG_RUNTIME_DIR"
if command -v xvfb-run >/dev/null; then
    xvfb-run -a -s "-screen 0 1280x800x24" "$build/bin/bench_open_conversation" "$model" "$messages"
else
    QT_QPA_PLATFORM=offscreen "$build/bin/bench_open_conversation" "$model" "$messages"
fi
