#!/usr/bin/env python3
"""Writes a small random-weight Llama checkpoint that uses the demo model's tokenizer (plain Python, no torch):
the "random model" of the evaluation fixtures (tools/gpu/run.sh eval). Unlike tests/data/models/llama (vocabulary
384, context 256) it tokenizes real text compactly and has a 1024-token context, so lm-eval's tasks fit.

  python3 tools/make_random_model.py [--out tests/data/models/llama-demo-vocab] [--seed 7]
Weights: normal(0, 0.05) rounded to bfloat16 (stored as BF16), norms 1; deterministic for a seed.
"""
import argparse
import json
import os
import random
import shutil
import struct

HIDDEN, INTER, LAYERS, HEADS, KV_HEADS, VOCAB, CONTEXT = 64, 128, 4, 4, 2, 4096, 1024
HEAD_DIM = HIDDEN // HEADS


def tensors():
    yield "model.embed_tokens.weight", (VOCAB, HIDDEN), "random"
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        yield p + "input_layernorm.weight", (HIDDEN,), "ones"
        yield p + "self_attn.q_proj.weight", (HEADS * HEAD_DIM, HIDDEN), "random"
        yield p + "self_attn.k_proj.weight", (KV_HEADS * HEAD_DIM, HIDDEN), "random"
        yield p + "self_attn.v_proj.weight", (KV_HEADS * HEAD_DIM, HIDDEN), "random"
        yield p + "self_attn.o_proj.weight", (HIDDEN, HEADS * HEAD_DIM), "random"
        yield p + "post_attention_layernorm.weight", (HIDDEN,), "ones"
        yield p + "mlp.gate_proj.weight", (INTER, HIDDEN), "random"
        yield p + "mlp.up_proj.weight", (INTER, HIDDEN), "random"
        yield p + "mlp.down_proj.weight", (HIDDEN, INTER), "random"
    yield "model.norm.weight", (HIDDEN,), "ones"
    yield "lm_head.weight", (VOCAB, HIDDEN), "random"


def bf16_bytes(values):
    # bfloat16 = the upper 16 bits of the float32 (truncation: exact and deterministic).
    return b"".join(struct.pack("<I", v)[2:] for v in struct.unpack(f"<{len(values)}I", struct.pack(f"<{len(values)}f", *values)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="tests/data/models/llama-demo-vocab")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    rng = random.Random(args.seed)
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, shape, kind in tensors():
        n = 1
        for d in shape:
            n *= d
        values = [rng.gauss(0.0, 0.05) for _ in range(n)] if kind == "random" else [1.0] * n
        blob = bf16_bytes(values)
        header[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(head)) + head + b"".join(blobs))
    config = {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": HIDDEN,
        "intermediate_size": INTER, "num_hidden_layers": LAYERS, "num_attention_heads": HEADS,
        "num_key_value_heads": KV_HEADS, "head_dim": HEAD_DIM, "vocab_size": VOCAB,
        "max_position_embeddings": CONTEXT, "rms_norm_eps": 1e-5, "hidden_act": "silu",
        "rope_theta": 10000.0, "tie_word_embeddings": False, "attention_bias": False, "mlp_bias": False,
        "bos_token_id": 1, "eos_token_id": 2, "torch_dtype": "bfloat16",
    }
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    shutil.copyfile(os.path.join(root, "resources/models/demo/tokenizer.model"), os.path.join(args.out, "tokenizer.model"))
    print(f"wrote {args.out}: {offset // 2:,} parameters")


if __name__ == "__main__":
    main()
