// The same measures as bench_tokenizer, with Hugging Face's Rust tokenizer through its npm
// package `tokenizers`: node hf_tokenizers_bench.cjs TOKENIZER_JSON CONFORMANCE_JSONL SOURCE_FILE
const fs = require('fs');
const { Tokenizer } = require('tokenizers');

async function bestSeconds(pass) {
  let best = Infinity;
  const start = process.hrtime.bigint();
  do {
    const begin = process.hrtime.bigint();
    await pass();
    best = Math.min(best, Number(process.hrtime.bigint() - begin) / 1e9);
  } while (Number(process.hrtime.bigint() - start) / 1e9 < 2);
  return best;
}

(async () => {
  const [tokenizerPath, conformancePath, sourcePath] = process.argv.slice(2);
  const tokenizer = Tokenizer.fromFile(tokenizerPath);
  const options = { addSpecialTokens: false };
  const texts = fs.readFileSync(conformancePath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).text);
  const textBytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const source = fs.readFileSync(sourcePath, 'utf8');
  const sourceBytes = Buffer.byteLength(source);

  let tokens = 0;
  const textsSeconds = await bestSeconds(async () => {
    tokens = 0;
    for (const text of texts) tokens += (await tokenizer.encode(text, undefined, options)).getIds().length;
  });
  let sourceTokens = 0;
  const sourceSeconds = await bestSeconds(async () => {
    sourceTokens = (await tokenizer.encode(source, undefined, options)).getIds().length;
  });
  console.log(JSON.stringify({
    engine: 'hf-tokenizers', conformance_bytes: textBytes, conformance_tokens: tokens,
    conformance_mb_s: +(textBytes / textsSeconds / 1e6).toFixed(2), source_bytes: sourceBytes,
    source_tokens: sourceTokens, source_mb_s: +(sourceBytes / sourceSeconds / 1e6).toFixed(2),
  }));
})();
