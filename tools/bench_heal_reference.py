#!/usr/bin/env python3
"""The reference for #26's step time: LoRA training of a checkpoint on transformers, as `llmdrop heal` trains it.

PEFT's LoRA when peft is installed, else a hand-written one (fp32 adapters, PEFT's forward); every attention and
MLP projection, rank R, alpha 2R, no dropout; gradient checkpointing per layer (transformers'
gradient_checkpointing_enable, in training mode), torch.optim.AdamW, gradients clipped to norm 1, bf16 weights; then
the same without checkpointing. Prints each one's median step time over the steps after the first and the peak of
torch.cuda.max_memory_allocated.
"""
import argparse
import statistics
import time

import torch
from transformers import AutoModelForCausalLM

from lora_reference import PROJECTIONS, attach_everywhere


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--steps", type=int, default=6)
    p.add_argument("--batch-size", type=int, default=2)
    p.add_argument("--seq-len", type=int, default=2048)
    p.add_argument("--rank", type=int, default=16)
    args = p.parse_args()
    model = AutoModelForCausalLM.from_pretrained(args.model, torch_dtype=torch.bfloat16).cuda()
    model.requires_grad_(False)
    model.config.use_cache = False
    try:
        import peft
        config = peft.LoraConfig(r=args.rank, lora_alpha=2 * args.rank, lora_dropout=0.0, target_modules=PROJECTIONS)
        model = peft.get_peft_model(model, config)
        kind = f"transformers + PEFT {peft.__version__}"
    except ImportError:

        def peft_init(path, base):  # PEFT's: A Kaiming-uniform, B zero
            a = torch.empty(args.rank, base.in_features, device=base.weight.device)
            torch.nn.init.kaiming_uniform_(a, a=5 ** 0.5)
            return a, torch.zeros(base.out_features, args.rank, device=base.weight.device), 2.0

        attach_everywhere(model, peft_init)
        kind = "transformers + hand-written LoRA (no peft installed)"
    params = [q for q in model.parameters() if q.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=2e-4, weight_decay=0.0)
    ids = torch.randint(3, model.config.vocab_size, (args.steps, args.batch_size, args.seq_len))
    model.train()  # transformers checkpoints only in training mode (no dropout in these models)
    # The same settings as ours first (checkpointing per layer), then, for comparison, keeping every activation.
    for checkpointing in (True, False):
        if checkpointing:
            model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        else:
            model.gradient_checkpointing_disable()
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
        times = []
        for step in range(args.steps):
            batch = ids[step].cuda()
            torch.cuda.synchronize()
            start = time.perf_counter()
            loss = model(input_ids=batch, labels=batch).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            optimizer.zero_grad()
            torch.cuda.synchronize()
            times.append(time.perf_counter() - start)
        median = statistics.median(times[1:])
        how = "gradient checkpointing per layer" if checkpointing else "no checkpointing (every activation kept)"
        print(f"| {kind}, {how} | {median:.3f} | {args.batch_size * args.seq_len / median:.0f} | "
              f"{torch.cuda.max_memory_allocated() / 2**30:.2f} |")


if __name__ == "__main__":
    main()
