#!/usr/bin/env python3
"""Demo model recipe, step 2 of 2 (GPU machine, torch + transformers + sentencepiece): train the bundled demo
model, a 12-layer Llama with grouped-query attention, on the corpus prepared by tools/demo/prepare.sh, and write a
Hugging Face checkpoint (bf16 safetensors, sharded past 8 MB) with its model card.

  python3 tools/demo/train.py --corpus .demo-work/corpus --out resources/models/demo --reference tests/data/reference/demo.json

Deterministic given --seed: data order, initialisation and sampling are seeded and deterministic algorithms
are requested (GPU reductions may still differ in the last bits between GPU models or library versions).
"""
import argparse
import copy
import gzip
import json
import math
import os
import shutil
import time

import sentencepiece as spm
import torch
import transformers
from transformers import LlamaConfig, LlamaForCausalLM

import model_card  # tools/demo/model_card.py

SHAPE = dict(vocab_size=4096, hidden_size=256, intermediate_size=512, num_hidden_layers=12,
             num_attention_heads=8, num_key_value_heads=2, head_dim=32, max_position_embeddings=1024,
             rms_norm_eps=1e-5, tie_word_embeddings=True, bos_token_id=1, eos_token_id=2)
PROMPT = "The most important thing about a computer program is"


def read_jsonl(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f]


def token_stream(sp, texts, device):
    """BOS + tokens + EOS for every document, concatenated: (N,) int64."""
    ids = []
    for encoded in sp.encode(texts):
        ids.extend([1] + encoded + [2])
    return torch.tensor(ids, dtype=torch.int64, device=device)


def batch(stream, batch_size, seq_len, generator):
    starts = torch.randint(0, stream.numel() - seq_len - 1, (batch_size,), generator=generator, device="cpu")
    idx = starts.to(stream.device)[:, None] + torch.arange(seq_len + 1, device=stream.device)[None, :]
    windows = stream[idx]  # (B, T+1)
    return windows[:, :-1], windows[:, 1:]


@torch.no_grad()
def mean_loss(model, stream, seq_len, windows):
    """Mean next-token loss over the first `windows` consecutive windows of the stream."""
    losses = []
    for w in range(windows):
        chunk = stream[w * seq_len: (w + 1) * seq_len + 1]
        if chunk.numel() < seq_len + 1:
            break
        with torch.autocast("cuda", dtype=torch.bfloat16):
            logits = model(chunk[None, :-1]).logits.float()
        losses.append(torch.nn.functional.cross_entropy(logits[0], chunk[1:]).item())
    return sum(losses) / len(losses)


@torch.no_grad()
def perplexity(model, sp, text, seq_len=256):
    """llmdrop perplexity's protocol: tokens without BOS, windows of seq_len-1, BOS prepended, all scored."""
    tokens = sp.encode(text)
    nll, count = 0.0, 0
    device = next(model.parameters()).device
    for begin in range(0, len(tokens), seq_len - 1):
        ids = torch.tensor([[1] + tokens[begin:begin + seq_len - 1]], device=device)
        logp = torch.log_softmax(model(ids).logits.float()[0, :-1], -1)
        nll -= logp.gather(1, ids[0, 1:, None]).sum().item()
        count += ids.shape[1] - 1
    return math.exp(nll / count), count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--reference", help="write transformers' fp32 log-probabilities on held-out text here")
    ap.add_argument("--steps", type=int, default=2400)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--seq-len", type=int, default=512)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--eval-every", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--max-seconds", type=float, default=420, help="stop early (logged) past this training time")
    args = ap.parse_args()

    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    torch.backends.cuda.matmul.allow_tf32 = True
    device = "cuda"
    sp = spm.SentencePieceProcessor(model_file=os.path.join(args.corpus, "tokenizer.model"))
    assert sp.get_piece_size() == SHAPE["vocab_size"], sp.get_piece_size()
    t0 = time.time()
    train = token_stream(sp, read_jsonl(os.path.join(args.corpus, "train.jsonl.gz")), device)
    valid_texts = read_jsonl(os.path.join(args.corpus, "valid.jsonl"))
    valid = token_stream(sp, valid_texts, device)
    heldout_texts = read_jsonl(os.path.join(args.corpus, "heldout.jsonl"))
    print(f"tokens: train {train.numel():,} valid {valid.numel():,} ({time.time() - t0:.1f}s)", flush=True)

    config = LlamaConfig(**SHAPE, attn_implementation="sdpa")
    model = LlamaForCausalLM(config).to(device)
    params = sum(p.numel() for p in model.parameters())
    print(f"parameters: {params:,}", flush=True)
    heldout_text = "\n\n".join(heldout_texts)
    untrained_ppl, _ = perplexity(model, sp, heldout_text)

    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.95), eps=1e-8, fused=True)
    warmup = max(1, args.steps // 25)

    def lr_at(step):  # linear warm-up, cosine decay to 10%
        if step < warmup:
            return args.lr * (step + 1) / warmup
        progress = (step - warmup) / max(1, args.steps - warmup)
        return args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))

    generator = torch.Generator().manual_seed(args.seed)
    curve, best = [], (float("inf"), None, 0)
    start, running = time.time(), []
    for step in range(args.steps):
        for group in opt.param_groups:
            group["lr"] = lr_at(step)
        x, y = batch(train, args.batch_size, args.seq_len, generator)
        with torch.autocast("cuda", dtype=torch.bfloat16):
            logits = model(x).logits
        loss = torch.nn.functional.cross_entropy(logits.float().view(-1, logits.shape[-1]), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        running.append(loss.item())
        if (step + 1) % args.eval_every == 0 or step + 1 == args.steps:
            model.eval()
            val = mean_loss(model, valid, args.seq_len, 64)
            model.train()
            train_loss = sum(running) / len(running)
            running = []
            tok_s = (step + 1) * args.batch_size * args.seq_len / (time.time() - start)
            curve.append({"step": step + 1, "train_loss": round(train_loss, 4), "valid_loss": round(val, 4)})
            print(f"step {step + 1:5d}  train {train_loss:.4f}  valid {val:.4f}  lr {lr_at(step):.2e}  "
                  f"{tok_s / 1e3:.0f}k tok/s", flush=True)
            if val < best[0]:
                best = (val, copy.deepcopy(model.state_dict()), step + 1)
            if time.time() - start > args.max_seconds:
                print(f"stopping early at step {step + 1}: --max-seconds reached", flush=True)
                break
    model.load_state_dict(best[1])
    model.eval()
    trained_ppl, ppl_tokens = perplexity(model, sp, heldout_text)
    seconds = time.time() - start
    print(f"best valid loss {best[0]:.4f} at step {best[2]}; held-out ppl {trained_ppl:.2f} "
          f"(untrained {untrained_ppl:.1f}) over {ppl_tokens} tokens; {seconds:.0f}s", flush=True)

    shutil.rmtree(args.out, ignore_errors=True)
    model.to(torch.bfloat16).save_pretrained(args.out, max_shard_size="8MB")
    shutil.copy(os.path.join(args.corpus, "tokenizer.model"), args.out)

    # Everything below reads the checkpoint back as a user would: transformers, fp32, CPU, eager attention.
    reloaded = LlamaForCausalLM.from_pretrained(args.out, dtype=torch.float32, attn_implementation="eager").eval()
    prompt_ids = [1] + sp.encode(PROMPT)
    ids = torch.tensor([prompt_ids])
    with torch.no_grad():
        for _ in range(40):
            next_id = int(reloaded(ids).logits[0, -1].argmax())
            ids = torch.cat([ids, torch.tensor([[next_id]])], 1)
            if next_id == 2:
                break
    sample = sp.decode(ids[0, 1:].tolist())  # decoded with the prompt: a lone continuation loses its first space
    print("sample:", sample, flush=True)
    if args.reference:
        paragraph = heldout_texts[0]
        ref_ids = [1] + sp.encode(paragraph)[:255]
        with torch.no_grad():
            logp = torch.log_softmax(reloaded(torch.tensor([ref_ids])).logits[0], -1)
        os.makedirs(os.path.dirname(args.reference), exist_ok=True)
        with open(args.reference, "w") as f:
            json.dump({"model": "demo", "text": paragraph, "ids": ref_ids, "transformers": transformers.__version__,
                       "logprobs": [logp[t, ref_ids[t + 1]].item() for t in range(len(ref_ids) - 1)],
                       "greedy_prompt": prompt_ids, "greedy": ids[0, len(prompt_ids):].tolist()}, f, indent=1)

    stats = json.load(open(os.path.join(args.corpus, "stats.json")))
    with open(os.path.join(args.out, "training_log.json"), "w") as f:
        json.dump({"shape": SHAPE, "parameters": params, "steps": args.steps, "batch_size": args.batch_size,
                   "seq_len": args.seq_len, "lr": args.lr, "seed": args.seed, "best_step": best[2],
                   "curve": curve, "heldout_ppl": trained_ppl, "untrained_heldout_ppl": untrained_ppl,
                   "heldout_tokens": ppl_tokens, "train_tokens": train.numel(), "seconds": round(seconds),
                   "gpu": torch.cuda.get_device_name(), "torch": torch.__version__,
                   "transformers": transformers.__version__, "sample": sample, "corpus": stats}, f, indent=1)
    model_card.main(args.out)


if __name__ == "__main__":
    main()
