#!/usr/bin/env python3
"""The tokenizer.json fixtures against Python's `tokenizers` and transformers' AutoTokenizer (GPU machine:
tools/gpu/run.sh tokenizer_check).

1. Every fixture of tests/data/tokenizer_json: Python tokenizers' ids and decoded text for texts.json equal
   reference.json (written by --write, on this machine), and AutoTokenizer's BOS
   (add_special_tokens=True) equals the post-processor prefix recorded there.
2. The demo model's tokenizer.model converted by AutoTokenizer into a fast tokenizer, as it does for a folder
   with only that file: writes OUT/converted-spm/ (tokenizer.json, tokenizer_config.json, reference.json with
   the fast tokenizer's and the sentencepiece library's ids), to be committed under tests/data/tokenizer_json/
   for the "both files" check. With --write DIR, also each fixture's reference.json from Python's tokenizers.
Exit 1 on any difference in (1), or a conversion in (2) that lost pieces.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

import tokenizers
import transformers
from transformers import AutoTokenizer

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIXTURES = os.path.join(ROOT, "tests", "data", "tokenizer_json")


def write_reference(name, texts, out):
    """OUT/NAME/reference.json in tools/tokenizer_json_fixtures.mjs's layout, from Python's tokenizers."""
    tok = tokenizers.Tokenizer.from_file(os.path.join(FIXTURES, name, "tokenizer.json"))
    prefix = tok.encode("", add_special_tokens=True).ids
    cases = []
    for t in texts:
        ids = tok.encode(t, add_special_tokens=False).ids
        special = tok.encode(t, add_special_tokens=True).ids
        decoded = tok.decode(ids, skip_special_tokens=False)
        skipping = tok.decode(ids, skip_special_tokens=True)
        c = dict(ids=ids)
        if special != prefix + ids:
            c["ids_with_special_tokens"] = special
        if decoded != t:
            c["decoded"] = decoded
        if skipping != decoded:
            c["decoded_skipping_special"] = skipping
        cases.append(c)
    os.makedirs(os.path.join(out, name), exist_ok=True)
    with open(os.path.join(out, name, "reference.json"), "w") as f:
        json.dump(dict(generator=f"tokenizers {tokenizers.__version__} (Python)",
                       special_tokens_around=dict(prefix=prefix, suffix=[]), cases=cases),
                  f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


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
    """The demo model's tokenizer.model as AutoTokenizer converts it (a folder with that file and Llama 2's
    tokenizer_config.json): its tokenizer.json and tokenizer_config.json, and the ids of the converted (fast) tokenizer beside those of the
    sentencepiece library for every text."""
    import sentencepiece
    demo = os.path.join(ROOT, "resources", "models", "demo")
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(os.path.join(demo, "tokenizer.model"), tmp)
        for name in ("config.json", "generation_config.json"):
            shutil.copy(os.path.join(demo, name), tmp)
        # As Llama 2's folder says it (without it transformers 5 converts with neither the dummy prefix nor BOS).
        json.dump(dict(tokenizer_class="LlamaTokenizer", add_bos_token=True, add_eos_token=False, legacy=False,
                       bos_token="<s>", eos_token="</s>", unk_token="<unk>"),
                  open(os.path.join(tmp, "tokenizer_config.json"), "w"))
        fast = AutoTokenizer.from_pretrained(tmp)
        target = os.path.join(out, "converted-spm")
        os.makedirs(target, exist_ok=True)
        fast.save_pretrained(target)
        for name in os.listdir(target):
            if name not in ("tokenizer.json", "tokenizer_config.json"):
                os.remove(os.path.join(target, name))
    vocab = len(json.load(open(os.path.join(target, "tokenizer.json")))["model"]["vocab"])
    slow = sentencepiece.SentencePieceProcessor(model_file=os.path.join(demo, "tokenizer.model"))
    cases = []
    for t in texts:  # the sentencepiece library's ids where they differ
        c = dict(fast=fast(t, add_special_tokens=False)["input_ids"])
        if slow.encode(t) != c["fast"]:
            c["slow"] = slow.encode(t)
        cases.append(c)
    json.dump(dict(generator=f"transformers {transformers.__version__} AutoTokenizer ({type(fast).__name__}), "
                             f"tokenizers {tokenizers.__version__}, sentencepiece {sentencepiece.__version__}",
                   prefix=fast("", add_special_tokens=True)["input_ids"], cases=cases),
              open(os.path.join(target, "reference.json"), "w"), separators=(",", ":"))
    same = sum("slow" not in c for c in cases)
    print(f"converted-spm: {vocab} pieces; AutoTokenizer == sentencepiece on {same} of {len(cases)} texts")
    return 0 if vocab == slow.get_piece_size() else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.environ.get("OUT", "/tmp"))
    ap.add_argument("--write", metavar="DIR",
                    help="also write each fixture's reference.json from Python's tokenizers under DIR/NAME/")
    args = ap.parse_args()
    print("tokenizers", tokenizers.__version__, "transformers", transformers.__version__)
    texts = json.load(open(os.path.join(FIXTURES, "texts.json")))
    # The fixtures of tools/tokenizer_json_fixtures.mjs (converted-spm, made below, has a layout of its own).
    names = sorted(n for n in os.listdir(FIXTURES)
                   if os.path.isdir(os.path.join(FIXTURES, n)) and n != "converted-spm")
    if args.write:
        for n in names:
            write_reference(n, texts, args.write)
    bad = sum(check_fixture(n, texts) for n in names)
    bad += convert_spm(texts, args.out)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
