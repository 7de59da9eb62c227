#!/usr/bin/env python3
"""#26: the PEFT-layout adapter `llmdrop heal` writes, loaded by PEFT (or, without peft, applied by a hand-written
LoRA forward that reads adapter_config.json as PEFT does) onto the model `llmdrop drop --prune-weights` writes for
the same drops, gives the logits of the merged checkpoint `llmdrop heal` writes, both run by transformers in fp32.
A whole block is dropped so that the pruned model is plain Llama (renumbered layers, no remote code).

  python3 tools/check_heal_adapter.py --llmdrop build-cuda/bin/llmdrop --model tests/data/models/llama \
      --data tests/data/calibration/calib.jsonl
Exits 1 when the logits differ by more than 1e-4.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import torch
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM

from lora_reference import LoraLinear


def apply_by_hand(model, adapter_dir):
    """Every lora_A / lora_B pair of the file put on the module it names; returns how many modules."""
    config = json.load(open(os.path.join(adapter_dir, "adapter_config.json")))
    assert config["peft_type"] == "LORA" and not config["use_rslora"] and not config["use_dora"]
    scaling = config["lora_alpha"] / config["r"]
    tensors = load_file(os.path.join(adapter_dir, "adapter_model.safetensors"))
    modules = sorted({name[: -len(".lora_A.weight")] for name in tensors if name.endswith(".lora_A.weight")})
    assert len(tensors) == 2 * len(modules), "every tensor is an A or a B"
    for path in modules:
        inner = path.removeprefix("base_model.model.")
        owner_path, name = inner.rsplit(".", 1)
        owner = model.get_submodule(owner_path)
        setattr(owner, name, LoraLinear(getattr(owner, name), tensors[path + ".lora_A.weight"],
                                        tensors[path + ".lora_B.weight"], scaling))
    return len(modules)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--llmdrop", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--block", type=int, default=2, help="the block dropped")
    args = ap.parse_args()
    work = tempfile.mkdtemp()
    healed, pruned = os.path.join(work, "healed"), os.path.join(work, "pruned")
    drops = ["--drop-attn", str(args.block), "--drop-mlp", str(args.block)]
    subprocess.run([args.llmdrop, "heal", args.model, *drops, "--data", args.data, "--steps", "5", "--batch-size",
                    "2", "--seq-len", "32", "--rank", "4", "--alpha", "8", "--lr", "1e-2", "--dtype", "float32",
                    "--save-every", "0", "--out", healed], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([args.llmdrop, "drop", args.model, *drops, "--prune-weights", "--out", pruned], check=True,
                   stdout=subprocess.DEVNULL)

    def load(path):
        return AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32, attn_implementation="eager").eval()

    adapter = os.path.join(healed, "adapter")
    try:
        import peft
        adapted = peft.PeftModel.from_pretrained(load(pruned), adapter).eval()
        how = f"PEFT {peft.__version__} (PeftModel.from_pretrained)"
    except ImportError:
        adapted = load(pruned)
        how = f"the hand-written LoRA forward ({apply_by_hand(adapted, adapter)} modules; peft is not installed)"
    ids = torch.tensor([[1] + list(range(10, 73)), [1] + list(range(200, 263))])
    with torch.no_grad():
        ours = load(healed)(ids).logits
        theirs = adapted(ids).logits
        plain = load(pruned)(ids).logits
    diff = (ours - theirs).abs().max().item()
    moved = (ours - plain).abs().max().item()
    print(f"adapter loaded by {how}: max |Δ logit| vs our merged checkpoint = {diff:.3g} "
          f"(healing moved the logits by up to {moved:.3g})")
    return 0 if diff <= 1e-4 and moved > 1e-3 else 1


if __name__ == "__main__":
    sys.exit(main())
