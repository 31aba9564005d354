#!/usr/bin/env bash
# Prompt (pp) and generation (tg) speed and peak memory of the engine on test models of a real
# model's shape, beside llama.cpp on the same files in the same run (the llamacpp-peer tool of
# ../shared, when installed), and beside the bandwidth bound for generation: the weight bytes a
# token reads (MoE: only the experts it uses) over this machine's memory bandwidth, measured just
# before and just after each model's runs (copy bandwidth, as the issues define the bound, and read
# bandwidth, the tighter one for a pass that only reads). The share of the read bound comes from
# generation runs of their own taken in turns with the bandwidth (read, tg, read, tg, read, tg,
# read): each run against the mean of the reads on either side, the median of the three, since
# this shared machine's bandwidth moves by half within minutes.
#   tests/bench/engine-bench.sh [PRESET=coder-1.3b] [TYPES="Q4_0 Q8_0"] [THREADS=2] [PP=512] [TG=128] [REPS=3]
#   TYPES: any type or mix `latent-cli quantize` makes (Q4_K_M, Q5_K_M, Q6_K, ...)
#   THREADS: one count or a list ("2 4 8 16"); counts above this machine's processors are skipped,
#   saying so. Ends with one table, a row per (type, threads).
#   PROFILE=1 (environment): also latent's time per operation kind of a decoding step (bench --profile)
#   DEPTH=N (environment): both engines' runs after N tokens already in the context (llama-bench's
#   -d): speed deep into a conversation, where attention reads the cache too (the bound counts the
#   weights only)
#   BASELINE_CLI=/path/to/latent-cli (environment): an earlier build's CLI runs on the same files,
#   just before this one on each file, so a change's before and after come from one run
#   PRESET: coder-1.3b (llama, DeepSeek-Coder-1.3B's shape) or v2-lite (deepseek2, DeepSeek-V2-Lite's)
set -euo pipefail
preset=${1:-coder-1.3b}
types=${2:-Q4_0 Q8_0}
thread_list=${3:-2}
pp=${4:-512}
tg=${5:-128}
reps=${6:-3}
depth=${DEPTH:-0}
depthArgs=() # not passed at 0, so that a BASELINE_CLI from before --depth runs too
[ "$depth" -gt 0 ] && depthArgs=(-d "$depth")
case "$preset" in
    v2-lite*) arch=deepseek2 ;;
    *) arch=llama ;;
esac
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cmake --build build --target latent-cli bench_bandwidth >/dev/null
models=build/bench/models
mkdir -p "$models"
peer=${LATENT_PEER_DIR:-$HOME/.cache/latent-peer}/peer-bench

# Peak resident memory of a command, from GNU time where installed.
peak_rss() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%M' -o "$models/.rss" "$@" && echo "rss_kib=$(cat "$models/.rss")" >&2
    else
        "$@"
    fi
}

processors=$(nproc)
summary=$(mktemp) # one JSON line per (type, threads), for the table at the end
trap 'rm -f "$summary"' EXIT
for threads in $thread_list; do
    if [ "$threads" -gt "$processors" ]; then
        echo "threads $threads: skipped, this machine has $processors processors"
        continue
    fi
    for type in $types; do
        model=$models/$preset-$(echo "$type" | tr 'A-Z' 'a-z').gguf
        if [ ! -s "$model" ]; then
            case "$type" in
            F32 | F16 | BF16 | Q8_0 | Q4_0)
                build/bin/latent-cli make-test-model --arch "$arch" --preset "$preset" --type "$type" -o "$model" 2>/dev/null ;;
            *)
                # K-quants and mixes come from `latent-cli quantize`, as users make them: from the F32
                # model, or for v2-lite (whose F32 would not fit on this disk) from its Q4_0 (speed does
                # not depend on the values).
                base=$models/$preset-f32.gguf
                [ "$arch" = deepseek2 ] && base=$models/$preset-q4_0.gguf
                [ -s "$base" ] || build/bin/latent-cli make-test-model --arch "$arch" --preset "$preset" \
                    --type "$([ "$arch" = deepseek2 ] && echo Q4_0 || echo F32)" -o "$base" 2>/dev/null
                build/bin/latent-cli quantize "$base" "$model" "$type" 2>/dev/null ;;
            esac
            # A file just written is still being flushed to disk: that writeback, during the runs,
            # cost a coder-1.3b Q4_K_M file's first run here a quarter of its generation speed.
            sync
        fi
        before='{}'
        [ -n "${BASELINE_CLI:-}" ] && before=$("$BASELINE_CLI" bench -m "$model" --threads "$threads" -p "$pp" -n "$tg" "${depthArgs[@]}" -r "$reps" --json 2>/dev/null)
        # The bandwidth just before and just after latent's runs, the higher of the two as the bound:
        # this shared machine's memory traffic moves it by half within minutes, and one low
        # measurement would flatter every figure set against it.
        bandwidthBefore=$(build/bin/bench_bandwidth "$threads" 1024)
        ours=$(build/bin/latent-cli bench -m "$model" --threads "$threads" -p "$pp" -n "$tg" "${depthArgs[@]}" -r "$reps" --json \
            ${PROFILE:+--profile --backend cpu} 2>/dev/null)
        bandwidthAfter=$(build/bin/bench_bandwidth "$threads" 1024)
        echo "memory, $threads threads, before and after: $bandwidthBefore $bandwidthAfter"
        bandwidth=$(python3 -c 'import json, sys; print(json.dumps(max(map(json.loads, sys.argv[1:]), key=lambda b: b["read_gb_s"])))' \
            "$bandwidthBefore" "$bandwidthAfter")
        # Generation in turns with the read bandwidth, for the share of the bound.
        turns=$(build/bin/bench_bandwidth "$threads" 1024)
        for turn in 1 2 3; do
            turns="$turns $(build/bin/latent-cli bench -m "$model" --threads "$threads" -p 0 -n "$tg" "${depthArgs[@]}" -r 1 --json 2>/dev/null)"
            turns="$turns $(build/bin/bench_bandwidth "$threads" 1024)"
        done
        theirs='{}'
        theirRss=0
        if [ -x "$peer" ]; then
            theirs=$(peak_rss "$peer" "$model" --threads "$threads" --pp "$pp" --tg "$tg" --depth "$depth" --reps "$reps" 2>"$models/.peer-err" | tail -1)
            theirRss=$(sed -n 's/^rss_kib=//p' "$models/.peer-err")
            theirRss=${theirRss:-0}
        fi
        python3 - "$preset" "$type" "$ours" "$theirs" "$bandwidth" "$pp" "$tg" "$theirRss" "$before" "$threads" "$summary" "$depth" "$turns" <<'PY'
import json, sys
preset, kind, ours, theirs, bw = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4]), json.loads(sys.argv[5])
pp, tg, theirRss, before, threads, summary = sys.argv[6], sys.argv[7], int(sys.argv[8]), json.loads(sys.argv[9]), sys.argv[10], sys.argv[11]
depth = int(sys.argv[12])
# The turns: read, tg, read, tg, read, tg, read (JSON values one after another).
decoder, text, turns = json.JSONDecoder(), sys.argv[13].strip(), []
while text:
    value, end = decoder.raw_decode(text)
    turns.append(value)
    text = text[end:].strip()
if depth:
    pp, tg = f"{pp} @ d{depth}", f"{tg} @ d{depth}"
gb = ours["weight_bytes_per_token"] / 1e9
copyBound, readBound = bw["copy_gb_s"] / gb, bw["read_gb_s"] / gb
shares = sorted(turns[i]["tg_tok_s"] * gb / ((turns[i - 1]["read_gb_s"] + turns[i + 1]["read_gb_s"]) / 2)
                for i in range(1, len(turns) - 1, 2))
share = shares[len(shares) // 2]
def ratio(a, b): return f"{a / b:.2f}" if b else "-"
with open(summary, "a") as rows:
    rows.write(json.dumps({"model": f"{preset} {kind}", "threads": int(threads), "pp": pp, "tg": tg,
                           "ours_pp": ours["pp_tok_s"], "their_pp": theirs.get("pp_tok_s"),
                           "ours_tg": ours["tg_tok_s"], "their_tg": theirs.get("tg_tok_s"),
                           "read_share": share}) + "\n")
print(f"{preset} {kind}, {threads} threads: {gb:.3f} GB of weights per token; tg bound {copyBound:.1f} tok/s at {bw['copy_gb_s']} GB/s copy, "
      f"{readBound:.1f} tok/s at {bw['read_gb_s']} GB/s read")
print(f"  pp{pp}: latent {ours['pp_tok_s']:.2f}  llama.cpp {theirs.get('pp_tok_s', '-')}  ratio {ratio(ours['pp_tok_s'], theirs.get('pp_tok_s', 0))}")
print(f"  tg{tg}: latent {ours['tg_tok_s']:.2f}  llama.cpp {theirs.get('tg_tok_s', '-')}  ratio {ratio(ours['tg_tok_s'], theirs.get('tg_tok_s', 0))}"
      f"  = {100 * ours['tg_tok_s'] / copyBound:.0f}% of the copy bound")
print(f"  tg{tg} in turns with the read bandwidth: " +
      ", ".join(f"{turns[i]['tg_tok_s']:.1f} tok/s between {turns[i - 1]['read_gb_s']} and {turns[i + 1]['read_gb_s']} GB/s"
                for i in range(1, len(turns) - 1, 2)) +
      f": {', '.join(f'{100 * s:.0f}%' for s in shares)} of the read bound, median {100 * share:.0f}%")
if before:
    print(f"  before (BASELINE_CLI): pp{pp} {before['pp_tok_s']:.2f} -> {ours['pp_tok_s']:.2f} ({ratio(ours['pp_tok_s'], before['pp_tok_s'])}x), "
          f"tg{tg} {before['tg_tok_s']:.2f} -> {ours['tg_tok_s']:.2f} ({ratio(ours['tg_tok_s'], before['tg_tok_s'])}x)")
print(f"  peak RSS: latent {ours['peak_rss_bytes'] / 2**20:.0f} MiB" + (f", llama.cpp (node included) {theirRss / 1024:.0f} MiB" if theirRss else ""))
for row in ours.get("profile", {}).get("decode", []):
    bandwidth = f"{row['weight_gb_s']:7.1f} GB/s" if row["weight_gb_s"] else ""
    print(f"    {row['operation']:<22} {row['calls_per_token']:8.2f} calls {row['ms_per_token']:8.3f} ms {row['percent']:5.1f}% {bandwidth}")
PY
    done
done
python3 - "$summary" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
def number(v): return f"{v:.1f}" if v else "-"
def ratio(a, b): return f"{a / b:.2f}" if a and b else "-"
print("\n| model, threads | Latent pp | llama.cpp pp | Latent tg | llama.cpp tg | tg ratio | tg / read bound (in turns, median) |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['model']}, {r['threads']} | pp{r['pp']} {number(r['ours_pp'])} | {number(r['their_pp'])} "
          f"| tg{r['tg']} {number(r['ours_tg'])} | {number(r['their_tg'])} | {ratio(r['ours_tg'], r['their_tg'])} "
          f"| {100 * r['read_share']:.0f}% |")
PY
