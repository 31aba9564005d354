// Writes the reference ids for the deepseek-llm and deepseek-coder pre-tokenizers, which
// ../shared has no conformance data for: Hugging Face's tokenizer (npm `tokenizers@0.23.2`)
// with DeepSeek-V3's vocabulary and merges, but each family's pre_tokenizer, encodes the V3
// conformance texts. Run from the project root:
//   NODE_PATH=build/bench/node/node_modules node tests/data/make-pretokenizer-reference.cjs ../shared
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Tokenizer } = require('tokenizers');

// Each family's splits, as its tokenizer.json states them (Split, Isolated), then ByteLevel.
const families = {
  'deepseek-llm': [
    '[\r\n]',
    '\\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-ώᾀ-ᾴᾶ-ᾼιῂ-ῄῆ-ῌῐ-ΐῖ-Ίῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤΩℨK-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]+',
    '\\s?[!-/:-~！-／：-～‘-‟　-。]+',
    '\\s+$',
    '[一-龥ࠀ-一가-퟿]+',
    '\\p{N}+',
  ],
  'deepseek-coder': ['[\r\n]', '\\s?\\p{L}+', '\\s?\\p{P}+', '[一-龥ࠀ-一가-퟿]+', '\\p{N}'],
};

const shared = process.argv[2] || '../shared';
const dir = path.join(shared, 'data/tokenizer/deepseek-v3');
const base = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
const texts = fs.readFileSync(path.join(dir, 'conformance.jsonl'), 'utf8').split('\n').filter(Boolean)
  .map((line) => JSON.parse(line).text);

(async () => {
  for (const [family, expressions] of Object.entries(families)) {
    const variant = { ...base };
    variant.pre_tokenizer = {
      type: 'Sequence',
      pretokenizers: [
        ...expressions.map((regex) => ({ type: 'Split', pattern: { Regex: regex }, behavior: 'Isolated', invert: false })),
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    };
    const file = path.join(os.tmpdir(), `latent-${family}-tokenizer.json`);
    fs.writeFileSync(file, JSON.stringify(variant));
    const tokenizer = Tokenizer.fromFile(file);
    const lines = [];
    for (const text of texts)
      lines.push(JSON.stringify({ ids: (await tokenizer.encode(text, undefined, { addSpecialTokens: false })).getIds() }));
    fs.writeFileSync(path.join(__dirname, `${family}-pretokenizer-ids.jsonl`), lines.join('\n') + '\n');
    console.log(`${family}: ${lines.length} texts`);
  }
})();
