#!/usr/bin/env python3
"""GPU machine (python3 with torch + transformers; tools/gpu/run.sh quant_check): the GPTQ / AWQ format check.
For a checkpoint written by `llmdrop quantize`, dequantizes every packed linear in plain torch the way the GPTQ
and AWQ loaders do — GPTQ v1: qweight words hold 32/bits codes along the input dim (value j at bits j*bits),
qzeros hold zero-1 along the output dim, W = scales[g_idx] * (code - (zero + 1)); AWQ gemm: qweight (K, N/8)
words hold 8 output columns in the order 0 2 4 6 1 3 5 7, qzeros likewise (the zero itself),
W^T = (code - zero) * scales per group of consecutive input rows. A GPTQ config's per-module rules
(`dynamic`, as GPTQModel writes them and vLLM reads them: the first pattern that re.match-es the module name
decides; "-:PATTERN" leaves the module unquantized, "+:PATTERN" or no prefix overrides bits / group_size)
decide each module's bits. Checks

  1. each equals, bit for bit, the dense weight our engine uses (`llmdrop dequantize` writes them), and each
     module the rules leave unquantized is stored dense;
  2. a transformers model holding those weights (float32) gives our engine's log-probabilities on the same
     tokens (`llmdrop logprobs --json --dtype float32` on the quantized checkpoint) within 1e-3;
  3. where transformers' GPTQ integration can load it (gptqmodel or optimum installed, a GPU), the quantized
     checkpoint itself gives log-probabilities within 0.05 of ours (its kernels round in float16); otherwise
     the script says that it was not installed.

  python3 tools/quant_reference.py --quantized Q --dense D --ours ours.json --ids 1,2,3,...
"""
import argparse
import importlib.util
import json
import re
import sys

import torch
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM


def read_tensors(directory):
    import glob
    tensors = {}
    for path in sorted(glob.glob(f"{directory}/*.safetensors")):
        tensors.update(load_file(path))
    return tensors


def unpack_stream(words, bits, count):
    """words (rows*bits/32, C) int32 of a little-endian bit stream of `count` rows per column -> (count, C)."""
    w = words.to(torch.int64) & 0xFFFFFFFF
    values = torch.zeros((count, w.shape[1]), dtype=torch.int64)
    for j in range(count):
        bit = (j // 32) * 32 * bits + (j % 32) * bits
        word, shift = bit // 32, bit % 32
        v = w[word] >> shift
        if shift + bits > 32:
            v = v | (w[word + 1] << (32 - shift))
        values[j] = v & ((1 << bits) - 1)
    return values


def dequantize_gptq(t, prefix, bits):
    qweight, qzeros, scales, g_idx = (t[f"{prefix}.{n}"] for n in ("qweight", "qzeros", "scales", "g_idx"))
    k, n = qweight.shape[0] * 32 // bits, qweight.shape[1]
    if 32 % bits == 0:  # GPTQ's own unpacking for 2/4/8 bits
        shifts = torch.arange(0, 32, bits, dtype=torch.int32)
        codes = ((qweight.unsqueeze(1) >> shifts.view(1, -1, 1)) & ((1 << bits) - 1)).reshape(k, n)
        zeros = ((qzeros.unsqueeze(2) >> shifts.view(1, 1, -1)) & ((1 << bits) - 1)).reshape(qzeros.shape[0], n)
    else:  # 3 bits: 32 values in 3 words
        codes = unpack_stream(qweight, bits, k)
        zeros = unpack_stream(qzeros.t().contiguous(), bits, n).t()
    zeros = zeros + 1
    g = g_idx.long()
    weight = scales[g] * (codes.to(torch.int32) - zeros[g].to(torch.int32)).to(torch.float16)
    return weight.t().contiguous()  # (N, K)


def module_override(config, name):
    """The dynamic rule's overrides for module `name` ({} for none), or None when a rule leaves it unquantized."""
    for pattern, overrides in config.get("dynamic", {}).items():
        if pattern.startswith("-:"):
            if re.match(pattern[2:], name):
                return None
        elif re.match(pattern[2:] if pattern.startswith("+:") else pattern, name):
            return overrides
    return {}


AWQ_REVERSE_ORDER = [0, 4, 1, 5, 2, 6, 3, 7]


def dequantize_awq(t, prefix, bits, group_size):
    qweight, qzeros, scales = (t[f"{prefix}.{n}"] for n in ("qweight", "qzeros", "scales"))
    shifts = torch.arange(0, 32, bits, dtype=torch.int32)

    def unpack(words):
        values = (words.unsqueeze(-1) >> shifts.view(1, 1, -1)).reshape(words.shape[0], -1)
        order = torch.arange(values.shape[-1]).view(-1, 32 // bits)[:, AWQ_REVERSE_ORDER].reshape(-1)
        return values[:, order] & ((1 << bits) - 1)

    codes, zeros = unpack(qweight), unpack(qzeros)
    zeros = zeros.repeat_interleave(group_size, dim=0)
    scales = scales.repeat_interleave(group_size, dim=0)
    weight = (codes - zeros).to(torch.float16) * scales
    return weight.t().contiguous()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quantized", required=True)
    ap.add_argument("--dense", required=True, help="`llmdrop dequantize` of --quantized")
    ap.add_argument("--ours", required=True, help="`llmdrop logprobs --json --dtype float32` on --quantized")
    ap.add_argument("--ids", required=True)
    args = ap.parse_args()
    config = json.load(open(f"{args.quantized}/config.json"))["quantization_config"]
    packed, dense = read_tensors(args.quantized), read_tensors(args.dense)
    prefixes = sorted(name[: -len(".qweight")] for name in packed if name.endswith(".qweight"))
    mismatches = 0
    skipped = sorted(name[: -len(".weight")] for name in packed
                     if name.endswith("_proj.weight") and module_override(config, name[: -len(".weight")]) is None)
    for prefix in prefixes:
        override = module_override(config, prefix)
        if override is None:
            mismatches += 1
            print(f"MISMATCH {prefix}: packed, but the rules leave it unquantized")
            continue
        if config["quant_method"] == "gptq":
            weight = dequantize_gptq(packed, prefix, override.get("bits", config["bits"]))
        else:
            weight = dequantize_awq(packed, prefix, config["bits"], config["group_size"])
        ours = dense[f"{prefix}.weight"]
        if weight.shape != ours.shape or not torch.equal(weight, ours):
            mismatches += 1
            print(f"MISMATCH {prefix}: max |diff| {(weight.float() - ours.float()).abs().max():.3e}")
    rules = f", {len(config.get('dynamic', {}))} per-module rules ({len(skipped)} linears left dense)" \
        if config.get("dynamic") else ""
    print(f"{config['quant_method']} {config['bits']} bits group {config['group_size']}{rules}: {len(prefixes)} "
          f"packed linears, {len(prefixes) - mismatches} dequantize bit-identically to the engine's weights")
    model = AutoModelForCausalLM.from_pretrained(args.dense, torch_dtype=torch.float32).eval()
    ids = torch.tensor([[int(i) for i in args.ids.split(",")]])
    with torch.no_grad():
        logprobs = torch.log_softmax(model(ids).logits.float(), -1)[0, :-1].gather(-1, ids[0, 1:, None])[:, 0]
    ours = torch.tensor(json.load(open(args.ours))["logprobs"], dtype=torch.float64)
    delta = (logprobs.double() - ours).abs().max().item()
    print(f"log-probabilities of {len(ours)} tokens, transformers (dequantized weights, float32) vs ours: "
          f"max |diff| {delta:.2e} ({'OK' if delta < 1e-3 else 'TOO LARGE'})")
    integration = [m for m in ("gptqmodel", "optimum") if importlib.util.find_spec(m)]
    loaded_ok = True
    if config["quant_method"] == "gptq" and integration and torch.cuda.is_available():
        quantized = AutoModelForCausalLM.from_pretrained(args.quantized, device_map="cuda").eval()
        with torch.no_grad():
            theirs = torch.log_softmax(quantized(ids.cuda()).logits.float(), -1)[0, :-1].gather(
                -1, ids[0, 1:, None].cuda())[:, 0].cpu()
        packed_delta = (theirs.double() - ours).abs().max().item()
        loaded_ok = packed_delta < 0.05
        print(f"transformers' GPTQ integration ({', '.join(integration)}) loaded the quantized checkpoint: "
              f"max |diff| {packed_delta:.2e} against ours ({'OK' if loaded_ok else 'TOO LARGE'})")
    elif config["quant_method"] == "gptq":
        print("transformers' GPTQ integration is not installed here (no gptqmodel / optimum): not loaded")
    sys.exit(0 if mismatches == 0 and delta < 1e-3 and loaded_ok else 1)


if __name__ == "__main__":
    main()
