#!/usr/bin/env bash
# The server's overhead: generation speed of one greedy request streamed through `latent-cli serve`
# (server-sent events read by Node's fetch, server_bench.mjs) beside `latent-cli bench` and
# `latent-cli run` on the same file with the same threads, in one run (goal: >= 0.95x); then eight
# concurrent greedy streams'
# total tokens/s beside one stream's. The server interleaves its streams token by token on one
# engine thread (no batching of streams into one forward pass), so eight streams share one
# stream's speed rather than multiply it.
#   tests/bench/server-bench.sh [PRESET=coder-1.3b] [TYPE=Q4_0] [THREADS=2] [TG=128] [REPS=3]
#   (BUILD_DIR: the build folder, build by default; models are kept in $BUILD_DIR/bench/models
#   and shared with engine-bench.sh)
set -euo pipefail
preset=${1:-coder-1.3b}
type=${2:-Q4_0}
threads=${3:-2}
tg=${4:-128}
reps=${5:-3}
case "$preset" in
    v2-lite*) arch=deepseek2 ;;
    *) arch=llama ;;
esac
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
build=${BUILD_DIR:-build}
command -v node >/dev/null || { echo "server-bench.sh needs node: install nodejs" >&2; exit 1; }
cmake --build "$build" --target latent-cli >/dev/null
models=$build/bench/models
mkdir -p "$models"
model=$models/$preset-$(echo "$type" | tr 'A-Z' 'a-z').gguf
if [ ! -s "$model" ]; then
    case "$type" in
    F32 | F16 | BF16 | Q8_0 | Q4_0)
        "$build/bin/latent-cli" make-test-model --arch "$arch" --preset "$preset" --type "$type" -o "$model" 2>/dev/null ;;
    *) echo "no $model: make it with tests/bench/engine-bench.sh $preset $type first" >&2; exit 1 ;;
    esac
fi

# The engine alone: `bench`'s tg (tokens one at a time after BOS, llama-bench's measure), and `run`
# on the request's own chat prompt (the same generation loop as the server's, without HTTP: the
# prompt's length and the sampler cost it time that `bench` does not spend).
context=$((tg + 512)) # holds a request: eight KV caches of the model's whole context may not fit
alone=$("$build/bin/latent-cli" bench -m "$model" --threads "$threads" -p 16 -n "$tg" -r "$reps" --json 2>/dev/null)
ran=()
for _ in $(seq "$reps"); do
    ran+=("$("$build/bin/latent-cli" run -m "$model" --threads "$threads" --ctx "$context" --chat --temp 0 \
        -n "$tg" --stats -p "Write a long story, number 0." 2>&1 >/dev/null |
        sed -n 's/.*generated: [0-9]* tokens, \([0-9.]*\) tokens\/s.*/\1/p')")
done

scratch=$(mktemp -d)
server=
stop_server() {
    if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null && wait "$server" || true; fi
    rm -rf "$scratch"
}
trap stop_server EXIT
"$build/bin/latent-cli" serve -m "$model" --threads "$threads" --ctx "$context" --parallel 8 --port 0 \
    >"$scratch/out" 2>"$scratch/err" &
server=$!
url=
for _ in $(seq 600); do
    url=$(sed -n 's/^listening on \(http:\/\/[^ ]*\)$/\1/p' "$scratch/out")
    [ -n "$url" ] && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
done
[ -n "$url" ] || { echo "latent-cli serve did not start:" >&2; cat "$scratch/err" >&2; exit 1; }

# A short round of eight streams first, untimed: it makes the eight sessions (their KV caches) and
# caches the prompts, as on a server that has been running a while.
node tests/bench/server_bench.mjs "$url" 4 8 1 >/dev/null
one=$(node tests/bench/server_bench.mjs "$url" "$tg" 1 "$reps")
eight=$(node tests/bench/server_bench.mjs "$url" "$tg" 8 "$reps")

python3 - "$preset" "$type" "$threads" "$tg" "$reps" "$alone" "$one" "$eight" "${ran[@]}" <<'PY'
import json, statistics, sys
preset, kind, threads, tg, reps = sys.argv[1:6]
alone, one, eight = (json.loads(a) for a in sys.argv[6:9])
ran = statistics.median(float(rate) for rate in sys.argv[9:])
print(f"{preset} {kind}, {threads} threads, {tg} tokens a request (greedy; the median of {reps} runs)")
print(f"  latent-cli bench tg{tg}:           {alone['tg_tok_s']:.2f} tokens/s")
print(f"  latent-cli run, the same request: {ran:.2f} tokens/s")
print(f"  one stream through the server:    {one['tok_s']:.2f} tokens/s ({one['tokens']} tokens)  "
      f"ratio {one['tok_s'] / alone['tg_tok_s']:.3f}x bench (goal >= 0.95x), {one['tok_s'] / ran:.3f}x run")
print(f"  eight concurrent streams, total:  {eight['tok_s']:.2f} tokens/s ({eight['tokens']} tokens in {eight['seconds']:.1f} s)  "
      f"ratio {eight['tok_s'] / one['tok_s']:.3f}x one stream")
PY
