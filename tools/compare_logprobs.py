#!/usr/bin/env python3
"""Checks `llmdrop logprobs` against transformers on a checkpoint as committed (GPU machine, or anywhere with
torch + transformers + sentencepiece).

  python3 tools/compare_logprobs.py --model resources/models/demo --llmdrop build-cuda/bin/llmdrop \
      --text resources/text/demo_heldout.txt [--device cpu --device cuda] [--tokens 256]

Takes the first paragraph of TEXT, BOS + up to --tokens-1 of its tokens, scores it with transformers (fp32,
eager attention, TF32 off, CPU) and with llmdrop (fp32, on each --device), and prints the max |Δ logprob|.
Exit code 1 when a difference exceeds --tolerance.
"""
import argparse
import json
import subprocess
import sys

import sentencepiece as spm
import torch
from transformers import AutoModelForCausalLM


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--llmdrop", required=True)
    ap.add_argument("--text", required=True)
    ap.add_argument("--device", action="append")
    ap.add_argument("--tokens", type=int, default=256)
    ap.add_argument("--tolerance", type=float, default=1e-4)
    args = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False
    paragraph = open(args.text, encoding="utf-8").read().split("\n\n")[0]
    sp = spm.SentencePieceProcessor(model_file=f"{args.model}/tokenizer.model")
    ids = [sp.bos_id()] + sp.encode(paragraph)[: args.tokens - 1]
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32, attn_implementation="eager").eval()
    with torch.no_grad():
        logp = torch.log_softmax(model(torch.tensor([ids])).logits[0].float(), -1)
    reference = [logp[t, ids[t + 1]].item() for t in range(len(ids) - 1)]
    print(f"paragraph: {paragraph[:100]!r}… ({len(ids)} ids incl. BOS)")
    print(f"transformers: sum logprob {sum(reference):.6f}")
    worst = 0.0
    for device in args.device or ["cpu"]:
        out = subprocess.run([args.llmdrop, "logprobs", args.model, "--ids", ",".join(map(str, ids)), "--json",
                              "--dtype", "float32", "--device", device], capture_output=True, text=True, check=True)
        ours = json.loads(out.stdout)["logprobs"]
        diff = max(abs(a - b) for a, b in zip(ours, reference))
        worst = max(worst, diff)
        print(f"llmdrop --device {device}: sum logprob {sum(ours):.6f}, max |Δ logprob| = {diff:.3g} "
              f"over {len(ours)} tokens")
    return 0 if worst <= args.tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
