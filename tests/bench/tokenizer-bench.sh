#!/usr/bin/env bash
# Tokenizer encoding speed, one thread, ours beside Hugging Face's Rust tokenizer (npm package
# `tokenizers`, installed into build/bench/node on first use) on the same texts in the same run:
#   tests/bench/tokenizer-bench.sh [SOURCE_FILE]
# The texts: the DeepSeek-V3 conformance texts of ../shared, and a large source file (by default
# libstdc++'s bits/*.h headers concatenated, about 4 MB).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
shared=${LATENT_SHARED_DIR:-$root/../shared}
json=$shared/data/tokenizer/deepseek-v3/tokenizer.json
conformance=$shared/data/tokenizer/deepseek-v3/conformance.jsonl
mkdir -p build/bench
source_file=${1:-build/bench/libstdcxx-headers.txt}
if [ ! -s "$source_file" ]; then
    cat /usr/include/c++/*/bits/*.h | head -c 4000000 > "$source_file"
fi
if [ ! -d build/bench/node/node_modules/tokenizers ]; then
    npm install --silent --prefix build/bench/node tokenizers@0.23.2 >/dev/null
fi
cmake --build build --target bench_tokenizer >/dev/null

ours=$(build/bin/bench_tokenizer "$json" "$conformance" "$source_file")
theirs=$(NODE_PATH=build/bench/node/node_modules node tests/bench/hf_tokenizers_bench.cjs "$json" "$conformance" "$source_file")
python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"{'text':<28}{'latent MB/s':>12}{'HF MB/s':>10}{'ratio':>8}{'same tokens':>13}")
for key, name in (("conformance", "conformance texts (794)"), ("source", f"source file ({ours['source_bytes'] / 1e6:.1f} MB)")):
    a, b = ours[key + "_mb_s"], theirs[key + "_mb_s"]
    same = ours[key + "_tokens"] == theirs[key + "_tokens"]
    print(f"{name:<28}{a:>12.2f}{b:>10.2f}{a / b:>8.2f}{str(same):>13}")
PY
