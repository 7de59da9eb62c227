// The reference side of benchmarks/bench_tokenizer: Hugging Face tokenizers (Rust, through the Node bindings
// that tools/make_tokenizer_json_fixtures.sh installs) encoding one text file with one tokenizer.json, single
// call (no batch parallelism), best of REPEATS. Prints one JSON line: {"seconds": s, "tokens": n, "fnv1a": h},
// h the 32-bit FNV-1a hash of the ids (each as 4 little-endian bytes).
//
//   node tools/tokenizer_json_speed.mjs TOKENIZER_JSON TEXT REPEATS
import fs from "node:fs";
import { Tokenizer } from "@anush008/tokenizers";

const [tokenizerFile, textFile, repeats] = process.argv.slice(2);
const tokenizer = Tokenizer.fromFile(tokenizerFile);
const text = fs.readFileSync(textFile, "utf8");
let best = Infinity, ids = [];
for (let r = 0; r < Number(repeats || 3); r++) {
  const start = process.hrtime.bigint();
  const encoding = await tokenizer.encode(text, null, { addSpecialTokens: false });
  best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  ids = encoding.getIds();
}
let hash = 0x811c9dc5;
for (const id of ids)
  for (let b = 0; b < 4; b++) hash = Math.imul(hash ^ ((id >>> (8 * b)) & 0xff), 0x01000193) >>> 0;
console.log(JSON.stringify({ seconds: best, tokens: ids.length, fnv1a: hash, implementation: "tokenizers (Rust, via Node)" }));
