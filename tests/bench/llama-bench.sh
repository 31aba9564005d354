#!/usr/bin/env bash
# Prompt (pp) and generation (tg) speed of the llama engine on DeepSeek-Coder-1.3B-shaped test
# models (Q4_0 and Q8_0), beside llama.cpp on the same files in the same run (the llamacpp-peer
# tool of ../shared, when installed), and beside the bandwidth bound for generation: weight bytes
# read per token over this machine's measured memory bandwidth (copy bandwidth, as the issue
# defines the bound, and read bandwidth, the tighter one for a pass that only reads).
#   tests/bench/llama-bench.sh [THREADS=2] [PP=512] [TG=128] [REPS=3]
set -euo pipefail
threads=${1:-2}
pp=${2:-512}
tg=${3:-128}
reps=${4:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cmake --build build --target latent-cli bench_bandwidth >/dev/null
models=build/bench/models
mkdir -p "$models"
peer=${LATENT_PEER_DIR:-$HOME/.cache/latent-peer}/peer-bench

bandwidth=$(build/bin/bench_bandwidth "$threads" 1024)
echo "memory: $bandwidth"
for type in Q4_0 Q8_0; do
    model=$models/coder-1.3b-$(echo "$type" | tr 'A-Z' 'a-z').gguf
    [ -s "$model" ] || build/bin/latent-cli make-test-model --preset coder-1.3b --type "$type" -o "$model" 2>/dev/null
    ours=$(build/bin/latent-cli bench -m "$model" --threads "$threads" -p "$pp" -n "$tg" -r "$reps" --json)
    theirs='{}'
    if [ -x "$peer" ]; then
        theirs=$("$peer" "$model" --threads "$threads" --pp "$pp" --tg "$tg" --reps "$reps" 2>/dev/null | tail -1)
    fi
    python3 - "$type" "$ours" "$theirs" "$bandwidth" "$pp" "$tg" <<'PY'
import json, sys
kind, ours, theirs, bw = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), json.loads(sys.argv[4])
pp, tg = sys.argv[5], sys.argv[6]
gb = ours["weight_bytes_per_token"] / 1e9
copyBound, readBound = bw["copy_gb_s"] / gb, bw["read_gb_s"] / gb
def ratio(a, b): return f"{a / b:.2f}" if b else "-"
print(f"coder-1.3b {kind}: {gb:.3f} GB of weights per token; tg bound {copyBound:.1f} tok/s at {bw['copy_gb_s']} GB/s copy, "
      f"{readBound:.1f} tok/s at {bw['read_gb_s']} GB/s read")
print(f"  pp{pp}: latent {ours['pp_tok_s']:.2f}  llama.cpp {theirs.get('pp_tok_s', '-')}  ratio {ratio(ours['pp_tok_s'], theirs.get('pp_tok_s', 0))}")
print(f"  tg{tg}: latent {ours['tg_tok_s']:.2f}  llama.cpp {theirs.get('tg_tok_s', '-')}  ratio {ratio(ours['tg_tok_s'], theirs.get('tg_tok_s', 0))}"
      f"  = {100 * ours['tg_tok_s'] / copyBound:.0f}% of the copy bound, {100 * ours['tg_tok_s'] / readBound:.0f}% of the read bound")
print(f"  peak RSS: latent {ours['peak_rss_bytes'] / 2**20:.0f} MiB")
PY
done
