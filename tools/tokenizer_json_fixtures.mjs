// The tokenizer.json fixtures of tests/data/tokenizer_json/: four small BPE tokenizers shaped like the ones
// today's checkpoints ship (GPT-2, Llama 3, Qwen2, and a SentencePiece-style BPE as Llama 2 / Mistral fast
// tokenizers write it), their merges learnt here from the demo model's held-out text, and the ids and decoded
// text that the Hugging Face `tokenizers` library (its Rust code, through the @anush008/tokenizers Node
// bindings) gives for 3,000+ texts. Run by tools/make_tokenizer_json_fixtures.sh.
//
//   node tools/tokenizer_json_fixtures.mjs CORPUS OUT_DIR
import fs from "node:fs";
import path from "node:path";
import { Tokenizer } from "@anush008/tokenizers";

const [corpusFile, outDir] = process.argv.slice(2);
if (!corpusFile || !outDir) {
  console.error("usage: node tools/tokenizer_json_fixtures.mjs CORPUS OUT_DIR");
  process.exit(2);
}
const corpus = fs.readFileSync(corpusFile, "utf8").slice(0, 400_000);

// A seeded generator, so that the texts are the same on every run.
let seed = 20261205;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (items) => items[Math.floor(random() * items.length)];
const between = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const fromRange = ([lo, hi], n) =>
  Array.from({ length: n }, () => String.fromCodePoint(between(lo, hi))).join("");

// GPT-2's bytes → printable characters (ByteLevel's alphabet).
function bytesToUnicode() {
  const printable = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const map = new Map();
  let extra = 0;
  for (let b = 0; b < 256; b++) map.set(b, String.fromCodePoint(printable.includes(b) ? b : 256 + extra++));
  return map;
}
const byteChar = bytesToUnicode();

// Pair-count BPE training over words (arrays of symbols) weighted by their counts: `merges` most frequent
// pairs, ties broken by the pair's text so the result does not depend on iteration order.
function trainMerges(wordCounts, merges) {
  const words = [...wordCounts].map(([w, n]) => ({ symbols: w, n }));
  const learnt = [];
  for (let m = 0; m < merges; m++) {
    const pairs = new Map();
    for (const { symbols, n } of words)
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = symbols[i] + "\u0000" + symbols[i + 1];
        pairs.set(key, (pairs.get(key) || 0) + n);
      }
    let best = null;
    for (const [key, n] of pairs)
      if (!best || n > best[1] || (n === best[1] && key < best[0])) best = [key, n];
    if (!best || best[1] < 2) break;
    const [a, b] = best[0].split("\u0000");
    learnt.push([a, b]);
    for (const w of words) {
      const out = [];
      for (let i = 0; i < w.symbols.length; i++) {
        if (i + 1 < w.symbols.length && w.symbols[i] === a && w.symbols[i + 1] === b) out.push(a + b), i++;
        else out.push(w.symbols[i]);
      }
      w.symbols = out;
    }
  }
  return learnt;
}

function countWords(pieces) {
  const counts = new Map();
  for (const p of pieces) counts.set(p, (counts.get(p) || 0) + 1);
  return new Map([...counts].map(([w, n]) => [Array.from(w), n]));
}

// Vocabulary: the base symbols, then each merge's result, in order.
function vocabulary(base, merges, first = 0) {
  const vocab = {};
  let id = first;
  for (const s of base) if (!(s in vocab)) vocab[s] = id++;
  for (const [a, b] of merges) if (!(a + b in vocab)) vocab[a + b] = id++;
  return vocab;
}

const GPT2_REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
const LLAMA3_REGEX =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const QWEN2_REGEX =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

const added = (id, content, special = true, extra = {}) => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: !special,
  special,
  ...extra,
});

// Byte-level BPE: words are the corpus as the tokenizer's own pre-tokenizer splits it (in ByteLevel's
// alphabet).
function byteLevelTokenizer({ regex, splitFirst, merges, pairMerges, ignoreMerges, normalizer, specials, bos }) {
  const preTokenizer = splitFirst
    ? {
        type: "Sequence",
        pretokenizers: [
          { type: "Split", pattern: { Regex: regex }, behavior: "Isolated", invert: false },
          { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false },
        ],
      }
    : { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true };
  const bare = Tokenizer.fromString(
    JSON.stringify({
      version: "1.0",
      added_tokens: [],
      normalizer: null,
      pre_tokenizer: preTokenizer,
      post_processor: null,
      decoder: null,
      model: { type: "BPE", vocab: vocabulary([...byteChar.values()], []), merges: [] },
    }),
  );
  const pieces = bare.getPreTokenizer().preTokenizeString(corpus).map(([piece]) => piece);
  const learnt = trainMerges(countWords(pieces), merges);
  const vocab = vocabulary([...byteChar.values()], learnt);
  let next = Object.keys(vocab).length;
  const addedTokens = specials.map((s) => added(next++, s));
  const postProcessor = bos
    ? {
        type: "TemplateProcessing",
        single: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
        pair: [
          { SpecialToken: { id: bos, type_id: 0 } },
          { Sequence: { id: "A", type_id: 0 } },
          { SpecialToken: { id: bos, type_id: 1 } },
          { Sequence: { id: "B", type_id: 1 } },
        ],
        special_tokens: { [bos]: { id: bos, ids: [addedTokens.find((t) => t.content === bos).id], tokens: [bos] } },
      }
    : { type: "ByteLevel", add_prefix_space: true, trim_offsets: false, use_regex: true };
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer,
    pre_tokenizer: preTokenizer,
    post_processor: postProcessor,
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: ignoreMerges,
      vocab,
      merges: pairMerges ? learnt : learnt.map(([a, b]) => `${a} ${b}`),
    },
  };
}

// SentencePiece-style BPE (Llama 2 / Mistral fast tokenizers): spaces become "▁" and one is prepended, no
// pre-tokenizer, characters as base symbols with byte fallback for the rest. `metaspace`: the newer layout,
// a Metaspace pre-tokenizer (prepended to the input's first piece only, words split at "▁") and decoder, here
// with a Lowercase normalizer.
function sentencePieceTokenizer(merges, metaspace = false) {
  const words = corpus
    .replace(/ /g, "▁")
    .split(/(?=▁)/u)
    .filter((w) => w.length > 0);
  const counts = countWords(words);
  const chars = new Map();
  for (const [w, n] of counts) for (const c of w) chars.set(c, (chars.get(c) || 0) + n);
  // Characters seen at least 20 times are pieces; the others fall back to their bytes.
  const base = [...chars].filter(([, n]) => n >= 20).map(([c]) => c).sort();
  for (const [w] of counts) for (let i = 0; i < w.length; i++) if (!base.includes(w[i])) w[i] = "\u0001";
  const learnt = trainMerges(counts, merges).filter(([a, b]) => !(a + b).includes("\u0001"));
  const specials = ["<unk>", "<s>", "</s>"];
  const bytes = Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);
  const vocab = vocabulary([...specials, ...bytes, ...base], learnt);
  // The Metaspace one also carries added tokens with every option: stripping whitespace (Unicode's) to the
  // left, right or both, a single-word one, one matched in the normalized (lowercased) text, one not.
  let next = Object.keys(vocab).length;
  const extras = metaspace
    ? [
        added(next++, "<mask>", true, { lstrip: true }),
        added(next++, "<sep>", true, { rstrip: true }),
        added(next++, "<|pad|>", true, { lstrip: true, rstrip: true }),
        added(next++, "tok", false, { single_word: true }),
        added(next++, "Foo Bar", false),
        added(next++, "ABC", false, { normalized: false }),
      ]
    : [];
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [...specials.map((s, i) => added(i, s)), ...extras],
    normalizer: metaspace
      ? { type: "Lowercase" }
      : {
          type: "Sequence",
          normalizers: [
            { type: "Prepend", prepend: "▁" },
            { type: "Replace", pattern: { String: " " }, content: "▁" },
          ],
        },
    pre_tokenizer: metaspace ? { type: "Metaspace", replacement: "▁", prepend_scheme: "first", split: true } : null,
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
      pair: [
        { SpecialToken: { id: "<s>", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "<s>", type_id: 1 } },
        { Sequence: { id: "B", type_id: 1 } },
      ],
      special_tokens: { "<s>": { id: "<s>", ids: [1], tokens: ["<s>"] } },
    },
    decoder: {
      type: "Sequence",
      decoders: metaspace
        ? [
            { type: "Metaspace", replacement: "▁", prepend_scheme: "first", split: true },
            { type: "ByteFallback" },
            { type: "Fuse" },
          ]
        : [
            { type: "Replace", pattern: { String: "▁" }, content: " " },
            { type: "ByteFallback" },
            { type: "Fuse" },
            { type: "Strip", content: " ", start: 1, stop: 0 },
          ],
    },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: "<unk>",
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab,
      merges: learnt.map(([a, b]) => `${a} ${b}`),
    },
  };
}

const reserved = Array.from({ length: 8 }, (_, i) => `<|reserved_special_token_${i}|>`);
const tokenizers = {
  gpt2: {
    json: byteLevelTokenizer({ regex: GPT2_REGEX, merges: 1500, specials: ["<|endoftext|>"] }),
    config: { bos_token: "<|endoftext|>", eos_token: "<|endoftext|>", add_bos_token: false },
  },
  llama3: {
    json: byteLevelTokenizer({
      regex: LLAMA3_REGEX,
      splitFirst: true,
      merges: 1500,
      pairMerges: true,
      ignoreMerges: true,
      specials: ["<|begin_of_text|>", "<|end_of_text|>", ...reserved],
      bos: "<|begin_of_text|>",
    }),
    config: { bos_token: "<|begin_of_text|>", eos_token: "<|end_of_text|>" },
  },
  qwen2: {
    json: byteLevelTokenizer({
      regex: QWEN2_REGEX,
      splitFirst: true,
      merges: 1500,
      normalizer: { type: "NFC" },
      specials: ["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
    }),
    config: { bos_token: null, eos_token: "<|im_end|>", pad_token: "<|endoftext|>" },
  },
  sentencepiece: {
    json: sentencePieceTokenizer(1200),
    config: { bos_token: "<s>", eos_token: "</s>", unk_token: "<unk>", add_bos_token: true, add_eos_token: false },
  },
  metaspace: {
    json: sentencePieceTokenizer(1200, true),
    config: { bos_token: "<s>", eos_token: "</s>", unk_token: "<unk>" },
  },
};

// The texts: prose and code lines, scripts other than Latin, emoji, combining marks, whitespace runs, digit
// runs, special-token strings inside text, invalid surrogates left out (JS strings are UTF-16; tokenizers
// reads UTF-8), and the empty string.
const lines = corpus.split("\n").filter((l) => l.trim().length > 0);
const code = fs
  .readFileSync(new URL("../core/eval/perplexity.cpp", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.length > 0);
const scripts = {
  cjk: [0x4e00, 0x9fff],
  hiragana: [0x3041, 0x3096],
  hangul: [0xac00, 0xd7a3],
  arabic: [0x0621, 0x064a],
  devanagari: [0x0905, 0x0939],
  cyrillic: [0x0410, 0x044f],
  greek: [0x03b1, 0x03c9],
};
const emoji = ["😀", "👍🏽", "👩‍👩‍👧‍👦", "🏳️‍🌈", "👨‍💻", "❤️", "🇩🇪", "🧑🏿‍🚀", "🙂‍↔️", "✋🏻"];
const combining = ["e\u0301", "a\u0308", "n\u0303", "o\u0302\u0323", "\u0915\u094d\u0937", "c\u0327"];
const whitespace = [" ", "  ", "\t", "\n", "\r\n", "\n\n", " \t ", "   \n  ", "\u00a0", "\u3000"];
const allSpecials = [...new Set(Object.values(tokenizers).flatMap((t) => t.json.added_tokens.map((a) => a.content)))];
const makers = [
  () => pick(lines),
  () => pick(lines) + pick(whitespace) + pick(lines),
  () => Array.from({ length: between(1, 4) }, () => pick(code)).join("\n"),
  () => Object.values(scripts).map((r) => fromRange(r, between(0, 6))).join(pick([" ", "", "，", "。"])),
  () => fromRange(pick(Object.values(scripts)), between(1, 24)) + pick(whitespace) + pick(lines).slice(0, 40),
  () => Array.from({ length: between(1, 6) }, () => pick(emoji)).join(pick(["", " "])) + " " + pick(lines).slice(0, 30),
  () => Array.from({ length: between(1, 5) }, () => pick(combining)).join("") + pick(["", " ok"]),
  () => Array.from({ length: between(1, 8) }, () => pick(whitespace)).join("") + pick(["x", "", "word", "1"]),
  () => String(Math.floor(random() * 1e15)) + pick(["", " ", ".", ","]) + "9".repeat(between(0, 30)),
  () => {
    const l = pick(lines);
    const at = between(0, l.length);
    return l.slice(0, at) + pick(allSpecials) + l.slice(at);
  },
  () => pick(allSpecials) + pick(lines).slice(0, 50) + pick(allSpecials),
  () => pick(lines).toUpperCase() + " I'M HERE, YOU'LL SEE: it's 'quoted' 's",
  () => pick(["ΟΔΟΣ", "ΣΟΦΟΣ Σ ΑΣ.", "İSTANBUL İi", "ǅungla ǈ", "Straße STRASSE", "ΌΣΟΣ’ ΑΣ'Σ"]) + pick([" ", ""]) + pick(lines).slice(0, 20),
  () => pick(whitespace) + pick(allSpecials) + pick(whitespace) + pick(["tok", "a tok b", "toks", "xtok", "foo bar", "FOO BAR", "Foo Bar", "ABC", "abc"]) + pick(whitespace),
];
const texts = ["", " ", "\n", "Hello world", " Hello  world ", "<|begin_of_text|>", "<s>hi</s>"];
while (texts.length < 3100) texts.push(makers[texts.length % makers.length]());

fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, "texts.json"), JSON.stringify(texts, null, 0) + "\n");
for (const [name, { json, config }] of Object.entries(tokenizers)) {
  const dir = path.join(outDir, name);
  fs.mkdirSync(dir, { recursive: true });
  const text = JSON.stringify(json, null, 1) + "\n";
  fs.writeFileSync(path.join(dir, "tokenizer.json"), text);
  fs.writeFileSync(path.join(dir, "tokenizer_config.json"), JSON.stringify(config, null, 1) + "\n");
  const tokenizer = Tokenizer.fromString(text);
  // What adding special tokens puts around a text (the post-processor's template), from the empty text.
  const empty = (await tokenizer.encode("", null, { addSpecialTokens: true })).getIds();
  const around = { prefix: empty, suffix: [] };
  const cases = [];
  for (const t of texts) {
    const plain = await tokenizer.encode(t, null, { addSpecialTokens: false });
    const withSpecial = await tokenizer.encode(t, null, { addSpecialTokens: true });
    // What repeats another field is left out: ids_with_special_tokens when it is the empty text's special
    // ids around the ids, decoded when it is the text itself, decoded_skipping_special when it is decoded.
    const ids = plain.getIds(), special = withSpecial.getIds();
    const decoded = await tokenizer.decode(ids, false), skipping = await tokenizer.decode(ids, true);
    const c = { ids };
    if (special.join() !== [...around.prefix, ...ids, ...around.suffix].join()) c.ids_with_special_tokens = special;
    if (decoded !== t) c.decoded = decoded;
    if (skipping !== decoded) c.decoded_skipping_special = skipping;
    cases.push(c);
  }
  const reference = {
    generator: "tokenizers (Rust) via @anush008/tokenizers 0.6.0",
    special_tokens_around: around,
    cases,
  };
  fs.writeFileSync(path.join(dir, "reference.json"), JSON.stringify(reference) + "\n");
  console.log(`${name}: ${Object.keys(json.model.vocab).length} pieces, ${json.model.merges.length} merges, ${cases.length} texts`);
}
