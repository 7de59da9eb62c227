#!/usr/bin/env python3
"""GPU machine (tools/gpu/run.sh tokens): the greedy-token checks of `llmdrop generate` on a random-weight model
(written by transformers, e.g. `tools/bench_llmdrop_way.py --write DIR --shape llama2-7b`).

  1. ours == transformers: greedy continuation of a random prompt, float32 on both sides (transformers'
     model.generate, do_sample=False; `llmdrop generate --ids … --dtype float32`, CUDA graphs on);
  2. CUDA graphs == no CUDA graphs: `llmdrop generate` with and without --no-cuda-graphs, greedy, in bfloat16
     and float32, for the full model and with attention layers dropped.

Prints one line per check and exits 1 when any pair differs.

  python3 tools/greedy_reference.py --model /dev/shm/llama2-7b --llmdrop build-cuda/bin/llmdrop
"""
import argparse
import json
import subprocess
import sys

import torch
from transformers import AutoModelForCausalLM


def transformers_greedy(model_dir, prompt, new_tokens):
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).cuda().eval()
    ids = torch.tensor([prompt], device="cuda")
    with torch.inference_mode():
        out = model.generate(ids, attention_mask=torch.ones_like(ids), do_sample=False,
                             max_new_tokens=new_tokens, min_new_tokens=0, pad_token_id=0)
    new = out[0, len(prompt):].tolist()
    eos = model.generation_config.eos_token_id
    eos = set(eos if isinstance(eos, list) else [eos] if eos is not None else [])
    del model
    torch.cuda.empty_cache()
    for i, t in enumerate(new):  # generate pads after EOS; ours stops after producing it
        if t in eos:
            return new[:i + 1]
    return new


def ours(llmdrop, model_dir, prompt, new_tokens, dtype, *extra):
    cmd = [llmdrop, "generate", model_dir, "--ids", ",".join(map(str, prompt)), "--max-new-tokens",
           str(new_tokens), "--device", "cuda", "--dtype", dtype, "--json", *extra]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{run.stderr}")
    return json.loads(run.stdout)["new_ids"]


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return None if len(a) == len(b) else min(len(a), len(b))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--llmdrop", required=True)
    ap.add_argument("--prompt-length", type=int, default=16)
    ap.add_argument("--reference-tokens", type=int, default=32)
    ap.add_argument("--graph-tokens", type=int, default=64)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--drop-attn", default="24,25,26,27,28,29,30,31")
    args = ap.parse_args()
    vocab = json.load(open(f"{args.model}/config.json"))["vocab_size"]
    gen = torch.Generator().manual_seed(args.seed)
    prompt = torch.randint(3, vocab, (args.prompt_length,), generator=gen).tolist()
    print(f"prompt ({len(prompt)} random ids, seed {args.seed}): {prompt}")

    checks = []
    theirs = transformers_greedy(args.model, prompt, args.reference_tokens)
    mine = ours(args.llmdrop, args.model, prompt, args.reference_tokens, "float32")
    checks.append((f"ours vs transformers, float32, {args.reference_tokens} tokens", mine, theirs))
    for dtype in ("bfloat16", "float32"):
        for drops in ([], ["--drop-attn", args.drop_attn]):
            graphs = ours(args.llmdrop, args.model, prompt, args.graph_tokens, dtype, *drops)
            plain = ours(args.llmdrop, args.model, prompt, args.graph_tokens, dtype, "--no-cuda-graphs", *drops)
            label = f"CUDA graphs vs none, {dtype}, {args.graph_tokens} tokens" + \
                (f", attention {args.drop_attn} dropped" if drops else "")
            checks.append((label, graphs, plain))
    failed = 0
    for label, a, b in checks:
        diff = first_difference(a, b)
        verdict = "EQUAL" if diff is None else f"DIFFER at token {diff}"
        failed += diff is not None
        print(f"{label}: {len(a)} vs {len(b)} tokens, {verdict}")
        print(f"    {a}")
        if diff is not None:
            print(f"    {b}")
    print(f"{len(checks) - failed}/{len(checks)} checks equal")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
