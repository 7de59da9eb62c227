#!/usr/bin/env python3
"""GPU machine (tools/gpu/run.sh bench_eval): the speed reference for benchmarks/bench_eval (multiple-choice
scoring). Times transformers scoring hellaswag-shaped loglikelihood requests ONE BY ONE, the way lm-eval's HF
backend does with batch size 1: input (ctx + cont)[-(max_length + 1):][:-1], one forward, log_softmax in
float32, gather, greedy check, .cpu() (float()/bool()) per request; 5 warm-up requests,
torch.cuda.synchronize() around the timed loop.

  # the requests (token ids; runs anywhere, plain Python):
  python3 tools/bench_eval_reference.py --make-requests /dev/shm/req.json --docs 512 --seed 1 --vocab 32000
  # the timing (prints one table line, writes the log-likelihoods for comparison with llmdrop's):
  python3 tools/bench_eval_reference.py --model /dev/shm/llama2-7b --requests /dev/shm/req.json \\
      [--dtype bfloat16] [--limit-docs N] --out /dev/shm/ref_lls.json

Requests: {"vocab_size": V, "docs": [{"context": [ids], "continuations": [[ids] x 4]}]}, context lengths
uniform in [40, 110], continuation lengths uniform in [10, 40], ids uniform in [3, V) (Python random, --seed).
Output: {"lls": [[one float per continuation] per doc], "is_greedy": [[bools] per doc], "requests_per_second"}.
"""
import argparse
import json
import random
import time

CHOICES = 4
WARMUP = 5


def make_requests(path, docs, seed, vocab):
    rng = random.Random(seed)
    out = []
    for _ in range(docs):
        ctx = [rng.randrange(3, vocab) for _ in range(rng.randint(40, 110))]
        conts = [[rng.randrange(3, vocab) for _ in range(rng.randint(10, 40))] for _ in range(CHOICES)]
        out.append({"context": ctx, "continuations": conts})
    with open(path, "w") as f:
        json.dump({"vocab_size": vocab, "docs": out}, f)
    n_tok = sum(len(d["context"]) * CHOICES + sum(map(len, d["continuations"])) for d in out)
    print(f"wrote {docs} docs ({docs * CHOICES} requests, {n_tok:,} scored-input tokens) to {path}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--make-requests", metavar="FILE")
    ap.add_argument("--docs", type=int, default=512)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--vocab", type=int, default=32000)
    ap.add_argument("--model")
    ap.add_argument("--requests")
    ap.add_argument("--dtype", default="bfloat16", choices=["bfloat16", "float16", "float32"])
    ap.add_argument("--limit-docs", type=int)
    ap.add_argument("--out", help="log-likelihoods JSON")
    args = ap.parse_args()
    if args.make_requests:
        return make_requests(args.make_requests, args.docs, args.seed, args.vocab)
    if not args.model or not args.requests:
        ap.error("either --make-requests FILE, or --model DIR --requests FILE")

    import torch
    import torch.nn.functional as F
    from transformers import AutoModelForCausalLM

    with open(args.requests) as f:
        req = json.load(f)
    docs = req["docs"][:args.limit_docs] if args.limit_docs else req["docs"]
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=getattr(torch, args.dtype),
                                                 attn_implementation="sdpa", device_map="cuda").eval()
    if model.config.vocab_size < req["vocab_size"]:
        raise SystemExit(f"model vocab {model.config.vocab_size} < requests' vocab {req['vocab_size']}")
    max_length = int(model.config.max_position_embeddings)
    requests = [(d["context"], c) for d in docs for c in d["continuations"]]

    @torch.no_grad()
    def score(ctx, cont):
        inp = torch.tensor((ctx + cont)[-(max_length + 1):][:-1], dtype=torch.long, device="cuda")
        logits = F.log_softmax(model(inp.unsqueeze(0)).logits.float(), dim=-1)[0]
        logits = logits[inp.shape[0] - len(cont):inp.shape[0]].unsqueeze(0)
        cont_t = torch.tensor(cont, dtype=torch.long, device="cuda").unsqueeze(0)
        greedy = (logits.argmax(dim=-1) == cont_t).all()
        ll = torch.gather(logits, 2, cont_t.unsqueeze(-1)).squeeze(-1)
        return float(ll.sum().cpu()), bool(greedy.cpu())

    for ctx, cont in requests[:WARMUP]:
        score(ctx, cont)
    torch.cuda.synchronize()
    start = time.perf_counter()
    results = [score(ctx, cont) for ctx, cont in requests]
    torch.cuda.synchronize()
    seconds = time.perf_counter() - start

    n = len(requests)
    print(f"transformers lm-eval-style batch 1: {n} requests in {seconds:.2f} s = {n / seconds:.1f} requests/s",
          flush=True)
    if args.out:
        lls, greedy, k = [], [], 0
        for d in docs:
            m = len(d["continuations"])
            lls.append([r[0] for r in results[k:k + m]])
            greedy.append([r[1] for r in results[k:k + m]])
            k += m
        with open(args.out, "w") as f:
            json.dump({"lls": lls, "is_greedy": greedy, "requests_per_second": n / seconds}, f)
            f.write("\n")


if __name__ == "__main__":
    main()
