#!/usr/bin/env python3
"""#24's token check (tools/gpu/run.sh int4_speed, STEPS=tokens): 64 greedy tokens of a 4-bit checkpoint (the 4-bit
decode kernels) against the same model dequantized to float16 (`llmdrop dequantize`; the 16-bit kernels), both in
one dtype. Where they part, the two candidate tokens' log-probabilities from one forward pass over the common prefix
(the prefill path) are printed for both checkpoints: a parting at a near-tie of a random-weight model's flat
distribution shows as a gap of the order of the decode kernels' rounding.

  python3 tools/int4_tokens.py --llmdrop build-cuda/bin/llmdrop --quantized DIR --dense DIR --dtype float16
Prints one line; exits 1 when the tokens differ.
"""
import argparse
import json
import random
import subprocess
import sys


def llmdrop_json(binary, *args):
    out = subprocess.run([binary, *args, "--json"], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(args[:2])}: {out.stderr.strip().splitlines()[-1] if out.stderr.strip() else 'failed'}")
    return json.loads(out.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--llmdrop", required=True)
    ap.add_argument("--quantized", required=True)
    ap.add_argument("--dense", required=True)
    ap.add_argument("--dtype", default="float16")
    ap.add_argument("--new-tokens", type=int, default=64)
    args = ap.parse_args()
    rng = random.Random(7)
    prompt = [rng.randrange(3, 4000) for _ in range(16)]
    run = ["--device", "cuda", "--dtype", args.dtype]
    ids = ",".join(map(str, prompt))
    new = {}
    for name, model in (("4-bit", args.quantized), ("dense", args.dense)):
        new[name] = llmdrop_json(args.llmdrop, "generate", model, "--ids", ids, "--max-new-tokens",
                                 str(args.new_tokens), *run)["new_ids"]
    label = f"{args.quantized.rstrip('/').split('/')[-1]} {args.dtype}, {args.new_tokens} greedy tokens, 4-bit vs dequantized"
    a, b = new["4-bit"], new["dense"]
    if a == b:
        print(f"{label}: equal")
        return 0
    k = next(i for i in range(min(len(a), len(b))) if a[i] != b[i])
    prefix = prompt + b[:k]
    gaps, ties = [], 0
    for name, model in (("4-bit", args.quantized), ("dense", args.dense)):
        lp = [llmdrop_json(args.llmdrop, "logprobs", model, "--ids", ",".join(map(str, prefix + [t])), *run)
              ["logprobs"][-1] for t in (a[k], b[k])]
        gaps.append(f"{name} checkpoint's forward: log p({a[k]}) = {lp[0]:.5f}, log p({b[k]}) = {lp[1]:.5f}")
        ties += lp[0] == lp[1]
    tie = " (an exact tie in both forwards)" if ties == 2 else ""
    print(f"{label}: the first {k} equal, then {a[k]} (4-bit) vs {b[k]} (dense){tie}; " + "; ".join(gaps))
    return 1


if __name__ == "__main__":
    sys.exit(main())
