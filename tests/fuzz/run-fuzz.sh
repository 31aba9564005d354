#!/usr/bin/env bash
# Builds the fuzz targets with clang (the `fuzz` preset) and runs one for a number of seconds.
#   tests/fuzz/run-fuzz.sh [TARGET] [SECONDS]      default: gguf_reader 60
# Targets: gguf_reader (seeds: small files our writer makes), tokenizer (seeds: the DeepSeek-V3
# conformance texts of ../shared).
# The corpus grows in build-fuzz/corpus/TARGET; crashes land in build-fuzz/crashes/.
set -euo pipefail
target=${1:-gguf_reader}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "${target}_fuzz" gguf_fuzz_seeds
corpus=build-fuzz/corpus/$target
mkdir -p "$corpus" build-fuzz/crashes
case $target in
gguf_reader) build-fuzz/bin/gguf_fuzz_seeds "$corpus" ;;
tokenizer)
    shared=${LATENT_SHARED_DIR:-$root/../shared}
    python3 -c 'import json,sys,os
for i, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    open(os.path.join(sys.argv[2], "conformance-%d" % i), "wb").write(json.loads(line)["text"].encode())' \
        "$shared/data/tokenizer/deepseek-v3/conformance.jsonl" "$corpus" ;;
esac
# Large -max_len: files grow past any small bound; -rss_limit_mb catches allocations sized by
# unchecked numbers from the input.
exec "build-fuzz/bin/${target}_fuzz" "$corpus" -max_total_time="$seconds" -max_len=65536 \
    -rss_limit_mb=2048 -artifact_prefix=build-fuzz/crashes/ -print_final_stats=1
