#!/usr/bin/env python3
"""GPU machine: the reference side of benchmarks/bench_scoring. Writes a random-weight model of a named shape
with transformers (bf16), then times, on the same calibration shape,
  - transformers' plain forward passes (the floor), and
  - LLM-Drop's way of scoring: every layer's input and output kept on the host, cosine afterwards,
and prints one table with time, peak GPU memory and peak host memory.

  python3 tools/bench_llmdrop_way.py --write /dev/shm/llama2-7b --shape llama2-7b
  python3 tools/bench_llmdrop_way.py --model /dev/shm/llama2-7b --samples 32 --seq-len 2048
"""
import argparse
import resource
import time

import torch
import torch.nn.functional as F
from transformers import AutoModelForCausalLM, LlamaConfig, LlamaForCausalLM

SHAPES = {
    "llama2-7b": dict(hidden_size=4096, intermediate_size=11008, num_hidden_layers=32, num_attention_heads=32,
                      num_key_value_heads=32, vocab_size=32000, max_position_embeddings=4096),
}


def write_random_model(path, shape):
    torch.manual_seed(0)
    config = LlamaConfig(**SHAPES[shape], rms_norm_eps=1e-5, tie_word_embeddings=False, bos_token_id=1,
                         eos_token_id=2)
    torch.set_default_dtype(torch.bfloat16)
    with torch.device("cuda"):
        model = LlamaForCausalLM(config)
    torch.set_default_dtype(torch.float32)
    model.save_pretrained(path)
    print(f"wrote {shape}: {sum(p.numel() for p in model.parameters()):,} parameters to {path}", flush=True)


def host_peak_gib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


@torch.no_grad()
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--write")
    ap.add_argument("--shape", default="llama2-7b")
    ap.add_argument("--model")
    ap.add_argument("--samples", type=int, default=32)
    ap.add_argument("--seq-len", type=int, default=2048)
    args = ap.parse_args()
    if args.write:
        return write_random_model(args.write, args.shape)
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.bfloat16, attn_implementation="sdpa",
                                                 device_map="cuda").eval()
    blocks = torch.randint(3, model.config.vocab_size, (args.samples, args.seq_len), device="cuda")
    rows = []

    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    start = time.time()
    for b in range(args.samples):
        model(blocks[b:b + 1]).logits.float().sum().item()
    rows.append(("transformers plain forward (floor)", time.time() - start))

    # LLM-Drop's way: hooks copy every decoder layer's input and output to the host; cosine afterwards.
    kept = {}

    def hook(index):
        def fn(module, args, kwargs, out):
            h_in = args[0] if args else kwargs["hidden_states"]
            h_out = out[0] if isinstance(out, tuple) else out
            kept.setdefault(index, []).append((h_in.cpu(), h_out.cpu()))
        return fn

    handles = [layer.register_forward_hook(hook(i), with_kwargs=True) for i, layer in enumerate(model.model.layers)]
    torch.cuda.reset_peak_memory_stats()
    start = time.time()
    for b in range(args.samples):
        model(blocks[b:b + 1])
    similarities = []
    for i in sorted(kept):
        cos = torch.cat([F.cosine_similarity(a.float(), o.float(), dim=-1).flatten() for a, o in kept[i]])
        similarities.append(cos.mean().item())
    rows.append(("LLM-Drop's way (states on the host, then cosine)", time.time() - start))
    for h in handles:
        h.remove()
    tokens = args.samples * args.seq_len
    print(f"{args.samples} blocks x {args.seq_len} tokens, batch 1, bf16, {torch.cuda.get_device_name()}")
    print("| pass | seconds | tokens/s | peak GPU GiB | peak host GiB (process so far) |\n|---|---:|---:|---:|---:|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} | {tokens / seconds:.0f} | "
              f"{torch.cuda.max_memory_allocated() / 2**30:.2f} | {host_peak_gib():.2f} |")
    print("block similarity of layer 0:", round(similarities[0], 6))


if __name__ == "__main__":
    main()
