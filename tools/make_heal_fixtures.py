#!/usr/bin/env python3
"""Reference numbers for healing (#26): LoRA on the test model with transformers and a hand-written LoRA, fp32.

Every projection of every layer (q, k, v, o, gate, up, down) gets y = W x + (alpha / r) * B (A x) with A and B
random (seeded) so that both have gradients from the first step. Writes tests/data/reference/heal.safetensors:
  ids                      (10, 2, 20) int32: the batch of each step
  init.NAME.lora_A / _B    the starting adapters (NAME: the projection's module path, e.g.
                           model.layers.0.self_attn.q_proj)
  grad.NAME.lora_A / _B    their gradients at step 1 (mean cross-entropy of the batch, transformers' shift)
  final.NAME.lora_A / _B   after 10 steps of torch.optim.AdamW (lr 1e-3, weight decay 0.01) on
                           transformers' get_cosine_schedule_with_warmup (2 warm-up steps), gradients clipped
                           to norm 1 (torch.nn.utils.clip_grad_norm_)
and heal.json with the settings and the 10 losses. Run on the GPU machine (tools/gpu/run.sh fixtures); CPU is
used so that the numbers do not depend on the GPU.
"""
import json
import math
import os

import torch
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM, get_cosine_schedule_with_warmup

from lora_reference import attach_everywhere

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RANK, ALPHA, LR, WEIGHT_DECAY, WARMUP, STEPS, MAX_NORM = 4, 8.0, 1e-3, 0.01, 2, 10, 1.0


def main():
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_pretrained(os.path.join(ROOT, "tests/data/models/llama"), torch_dtype=torch.float32)
    model.requires_grad_(False)

    def random_adapter(path, base):  # A and B random so that both have gradients from the first step
        return 0.1 * torch.randn(RANK, base.in_features), 0.1 * torch.randn(base.out_features, RANK), ALPHA / RANK

    adapters = attach_everywhere(model, random_adapter)
    tensors = {}
    for path, m in adapters.items():
        tensors[f"init.{path}.lora_A"] = m.lora_A.detach().clone()
        tensors[f"init.{path}.lora_B"] = m.lora_B.detach().clone()
    params = [p for m in adapters.values() for p in (m.lora_A, m.lora_B)]
    optimizer = torch.optim.AdamW(params, lr=LR, weight_decay=WEIGHT_DECAY)
    schedule = get_cosine_schedule_with_warmup(optimizer, WARMUP, STEPS)
    generator = torch.Generator().manual_seed(1)
    ids = torch.randint(3, model.config.vocab_size, (STEPS, 2, 20), generator=generator)
    tensors["ids"] = ids.to(torch.int32)
    losses, rates = [], []
    for step in range(STEPS):
        loss = model(input_ids=ids[step], labels=ids[step]).loss
        loss.backward()
        if step == 0:
            for path, m in adapters.items():
                tensors[f"grad.{path}.lora_A"] = m.lora_A.grad.clone()
                tensors[f"grad.{path}.lora_B"] = m.lora_B.grad.clone()
        torch.nn.utils.clip_grad_norm_(params, MAX_NORM)
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    for path, m in adapters.items():
        tensors[f"final.{path}.lora_A"] = m.lora_A.detach().clone()
        tensors[f"final.{path}.lora_B"] = m.lora_B.detach().clone()
    out = os.path.join(ROOT, "tests/data/reference")
    save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(out, "heal.safetensors"))
    with open(os.path.join(out, "heal.json"), "w") as f:
        json.dump({"rank": RANK, "alpha": ALPHA, "lr": LR, "weight_decay": WEIGHT_DECAY, "warmup_steps": WARMUP,
                   "steps": STEPS, "max_grad_norm": MAX_NORM, "losses": losses, "lr_per_step": rates,
                   "torch": torch.__version__}, f, indent=2)
    assert all(math.isfinite(x) for x in losses)
    print(f"heal fixtures: loss {losses[0]:.5f} -> {losses[-1]:.5f}")


if __name__ == "__main__":
    main()
