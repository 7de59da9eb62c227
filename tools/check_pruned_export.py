#!/usr/bin/env python3
"""Export round trip with plain transformers (GPU machine, or anywhere with torch + transformers):
`llmdrop drop --target block --prune-weights` writes a renumbered checkpoint; transformers loads it with no
remote code and its log-probabilities must equal `llmdrop logprobs` on the original with those blocks dropped.
Also checks that the source directory is byte-for-byte unchanged.

  python3 tools/check_pruned_export.py --llmdrop build-cuda/bin/llmdrop --model tests/data/models/llama \
      --data tests/data/calibration/calib.jsonl
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import torch
from transformers import AutoModelForCausalLM


def tree_digest(path):
    h = hashlib.sha256()
    for root, _, files in sorted(os.walk(path)):
        for name in sorted(files):
            with open(os.path.join(root, name), "rb") as f:
                h.update(name.encode() + hashlib.sha256(f.read()).digest())
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--llmdrop", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--n", type=int, default=2)
    args = ap.parse_args()
    before = tree_digest(args.model)
    out = os.path.join(tempfile.mkdtemp(), "pruned")
    chosen = json.loads(subprocess.run(
        [args.llmdrop, "drop", args.model, "--target", "block", "--n", str(args.n), "--data", args.data,
         "--samples", "4", "--seq-len", "64", "--prune-weights", "--out", out, "--json", "--no-cache"],
        capture_output=True, text=True, check=True).stdout)
    blocks = chosen["drop_attn_list"]
    print("dropped blocks:", blocks)
    config = json.load(open(os.path.join(out, "config.json")))
    print("exported num_hidden_layers:", config["num_hidden_layers"], "auto_map" in config)
    ids = [1] + list(range(10, 73))
    model = AutoModelForCausalLM.from_pretrained(out, dtype=torch.float32, attn_implementation="eager").eval()
    with torch.no_grad():
        logp = torch.log_softmax(model(torch.tensor([ids])).logits[0].float(), -1)
    theirs = [logp[t, ids[t + 1]].item() for t in range(len(ids) - 1)]
    drop = ",".join(map(str, blocks))
    ours = json.loads(subprocess.run(
        [args.llmdrop, "logprobs", args.model, "--ids", ",".join(map(str, ids)), "--drop-attn", drop,
         "--drop-mlp", drop, "--dtype", "float32", "--json"], capture_output=True, text=True, check=True).stdout)
    diff = max(abs(a - b) for a, b in zip(ours["logprobs"], theirs))
    unchanged = tree_digest(args.model) == before
    print(f"transformers on the pruned export vs llmdrop with blocks {blocks} dropped: max |Δ logprob| = {diff:.3g}")
    print("source directory unchanged:", unchanged)
    return 0 if diff <= 1e-4 and unchanged else 1


if __name__ == "__main__":
    sys.exit(main())
