#!/usr/bin/env python3
"""The tokenizer.json fixtures against Python's `tokenizers` and transformers' AutoTokenizer (GPU machine:
tools/gpu/run.sh tokenizer_check).

1. Every fixture of tests/data/tokenizer_json: Python tokenizers' ids and decoded text for texts.json equal
   reference.json (made through the Node bindings of the same Rust library), and AutoTokenizer's BOS
   (add_special_tokens=True) equals the post-processor prefix recorded there.
2. The sentencepiece test tokenizer (tests/data/tokenizer/tokenizer.model) converted by transformers into a
   fast tokenizer, as AutoTokenizer does for a folder with only tokenizer.model: writes OUT/converted-spm/
   (tokenizer.json, tokenizer_config.json, reference.json with the fast and the slow tokenizer's ids), to be
   committed under tests/data/tokenizer_json/ for the "both files" check.
Exit 1 on any difference in (1).
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

import tokenizers
import transformers
from transformers import AutoTokenizer, LlamaTokenizer, LlamaTokenizerFast

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIXTURES = os.path.join(ROOT, "tests", "data", "tokenizer_json")


def check_fixture(name, texts):
    d = os.path.join(FIXTURES, name)
    ref = json.load(open(os.path.join(d, "reference.json")))
    tok = tokenizers.Tokenizer.from_file(os.path.join(d, "tokenizer.json"))
    bad = 0
    for text, case in zip(texts, ref["cases"]):
        ids = tok.encode(text, add_special_tokens=False).ids
        decoded = tok.decode(ids, skip_special_tokens=False)
        if ids != case["ids"] or decoded != case.get("decoded", text):
            bad += 1
            if bad <= 3:
                print(f"  {name}: {text!r}: ids {ids} (fixture {case['ids']})")
    auto = AutoTokenizer.from_pretrained(d)
    prefix = auto("", add_special_tokens=True)["input_ids"]
    if prefix != ref["special_tokens_around"]["prefix"]:
        bad += 1
        print(f"  {name}: AutoTokenizer puts {prefix} before a text, the fixture says "
              f"{ref['special_tokens_around']['prefix']}")
    print(f"{name}: {len(texts)} texts, {bad} differences")
    return bad


def convert_spm(texts, out):
    spm_model = os.path.join(ROOT, "tests", "data", "tokenizer", "tokenizer.model")
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(spm_model, tmp)
        slow = LlamaTokenizer(vocab_file=os.path.join(tmp, "tokenizer.model"), legacy=False)
        fast = LlamaTokenizerFast(vocab_file=os.path.join(tmp, "tokenizer.model"), legacy=False, from_slow=True)
        target = os.path.join(out, "converted-spm")
        os.makedirs(target, exist_ok=True)
        fast.save_pretrained(target)
    cases = []
    for t in texts:
        cases.append(dict(fast=fast(t, add_special_tokens=False)["input_ids"],
                          slow=slow(t, add_special_tokens=False)["input_ids"]))
    json.dump(dict(generator=f"transformers {transformers.__version__}, tokenizers {tokenizers.__version__}",
                   prefix=fast("", add_special_tokens=True)["input_ids"], cases=cases),
              open(os.path.join(target, "reference.json"), "w"))
    same = sum(c["fast"] == c["slow"] for c in cases)
    print(f"converted-spm: fast == slow on {same} of {len(cases)} texts")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.environ.get("OUT", "/tmp"))
    args = ap.parse_args()
    print("tokenizers", tokenizers.__version__, "transformers", transformers.__version__)
    texts = json.load(open(os.path.join(FIXTURES, "texts.json")))
    names = sorted(n for n in os.listdir(FIXTURES) if os.path.isdir(os.path.join(FIXTURES, n)))
    bad = sum(check_fixture(n, texts) for n in names)
    convert_spm(texts, args.out)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
