#!/usr/bin/env bash
# How much each quantized type changes a model's next-token distribution: the KL divergence of
# the quantized model's distribution from the F32 model's, averaged over POSITIONS positions of
# one random token sequence, and how often the top token agrees, on the DeepSeek-Coder-1.3B-shaped
# test model (random weights: far harder to quantize than trained ones, so compare types with each
# other, not with published figures for trained models). Types are made with `latent-cli quantize`
# from the F32 model (mixes included; Q3_K, Q4_K and Q5_K name the _M mixes, as in llama-quantize).
#   tests/bench/quant-kl.sh [POSITIONS=256] [TYPES="Q8_0 Q6_K ..."] [PRESET=coder-1.3b]
set -euo pipefail
positions=${1:-256}
types=${2:-Q8_0 Q6_K Q5_K_M Q5_1 Q5_0 Q4_K_M IQ4_XS IQ4_NL Q4_1 Q4_0 Q3_K_M Q2_K}
preset=${3:-coder-1.3b}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cmake --build build --target latent-cli >/dev/null
models=build/bench/models
mkdir -p "$models"
base=$models/$preset-f32.gguf
[ -s "$base" ] || build/bin/latent-cli make-test-model --preset "$preset" --type F32 -o "$base" 2>/dev/null
tokens=$(python3 -c "import random; r = random.Random(7); print(','.join(str(r.randrange(6, 32000)) for _ in range($positions)))")
logits() { build/bin/latent-cli logits -m "$1" --tokens "$tokens" --top 1 --threads 2 --batch 512 --out "$2" >/dev/null; }
logits "$base" "$models/.kl-f32.logits"
printf '| type | bits/weight | mean KL | top-1 same |\n|---|---|---|---|\n'
for type in $types; do
    # Its own files: every one quantized from this F32 model (other benchmarks' files may not be).
    model=$models/kl-$preset-$(echo "$type" | tr 'A-Z' 'a-z').gguf
    [ -s "$model" ] || build/bin/latent-cli quantize "$base" "$model" "$type" 2>/dev/null
    logits "$model" "$models/.kl-q.logits"
    parameters=$(build/bin/latent-cli info "$model" | sed -n 's/^Parameters.*(\(.*\)).*/\1/p' | tr -d ,)
    python3 - "$models/.kl-f32.logits" "$models/.kl-q.logits" "$positions" "$type" "$model" "$parameters" <<'PY'
import math, os, struct, sys
def load(path):
    data = open(path, 'rb').read()
    return struct.unpack('<%df' % (len(data) // 4), data)
p, q, n, kind, model = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
vocab = len(p) // n
total, same = 0.0, 0
for t in range(n):
    a, b = p[t * vocab:(t + 1) * vocab], q[t * vocab:(t + 1) * vocab]
    ma, mb = max(a), max(b)
    za = math.log(sum(math.exp(v - ma) for v in a)) + ma
    zb = math.log(sum(math.exp(v - mb) for v in b)) + mb
    total += sum(math.exp(x - za) * ((x - za) - (y - zb)) for x, y in zip(a, b))
    same += a.index(ma) == b.index(mb)
bits = f"{os.path.getsize(model) * 8 / int(sys.argv[6]):.2f}"
print(f"| {kind} | {bits} | {total / n:.5f} | {same}/{n} |")
PY
done
