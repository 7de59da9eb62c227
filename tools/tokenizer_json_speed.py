#!/usr/bin/env python3
"""The reference side of benchmarks/bench_tokenizer on a machine with Python's tokenizers (the GPU machine):
one text file encoded with one tokenizer.json in a single call on one thread (RAYON_NUM_THREADS=1), best of
REPEATS. Prints one JSON line as tools/tokenizer_json_speed.mjs does: {"seconds", "tokens", "fnv1a",
"implementation"}, fnv1a the 32-bit FNV-1a hash of the ids (each as 4 little-endian bytes).

    python3 tools/tokenizer_json_speed.py TOKENIZER_JSON TEXT REPEATS
"""
import json
import os
import sys
import time

os.environ["RAYON_NUM_THREADS"] = "1"  # before the library starts its thread pool
os.environ["TOKENIZERS_PARALLELISM"] = "false"
import tokenizers  # noqa: E402


def main():
    tokenizer_file, text_file = sys.argv[1], sys.argv[2]
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    text = open(text_file, encoding="utf-8").read()
    best, ids = float("inf"), []
    for _ in range(max(1, repeats)):
        tok = tokenizers.Tokenizer.from_file(tokenizer_file)  # a fresh cache, as ours gets
        start = time.perf_counter()
        ids = tok.encode(text, add_special_tokens=False).ids
        best = min(best, time.perf_counter() - start)
    h = 0x811C9DC5
    for i in ids:
        for b in range(4):
            h = ((h ^ ((i >> (8 * b)) & 0xFF)) * 0x01000193) & 0xFFFFFFFF
    print(json.dumps(dict(seconds=best, tokens=len(ids), fnv1a=h,
                          implementation=f"tokenizers {tokenizers.__version__} (Python)")))


if __name__ == "__main__":
    main()
