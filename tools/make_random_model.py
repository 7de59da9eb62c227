#!/usr/bin/env python3
"""Writes a small random-weight Llama checkpoint that uses the demo model's tokenizer (plain Python, no torch):
the "random model" of the evaluation fixtures (tools/gpu/run.sh eval). Unlike tests/data/models/llama (vocabulary
384, context 256) it tokenizes real text compactly and has a 1024-token context, so lm-eval's tasks fit.
`--family qwen3 | gemma2 | phi3` writes the same shapes in that family's layout (per-head q/k norms; Gemma 2's
four norms per layer and soft-caps; Phi-3's fused qkv_proj / gate_up_proj), e.g. to open one in the workbench.

  python3 tools/make_random_model.py [--out tests/data/models/llama-demo-vocab] [--seed 7] [--family F]
Weights: normal(0, 0.05) rounded to bfloat16 (stored as BF16), norms scaling by 1; deterministic for a seed.
"""
import argparse
import json
import os
import random
import shutil
import struct

HIDDEN, INTER, LAYERS, HEADS, KV_HEADS, VOCAB, CONTEXT = 64, 128, 4, 4, 2, 4096, 1024
HEAD_DIM = HIDDEN // HEADS


def tensors(family):
    norm = "zeros" if family == "gemma2" else "ones"  # Gemma's norms scale by 1 + w
    q, kv = HEADS * HEAD_DIM, KV_HEADS * HEAD_DIM
    yield "model.embed_tokens.weight", (VOCAB, HIDDEN), "random"
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        yield p + "input_layernorm.weight", (HIDDEN,), norm
        if family == "phi3":
            yield p + "self_attn.qkv_proj.weight", (q + 2 * kv, HIDDEN), "random"
        else:
            yield p + "self_attn.q_proj.weight", (q, HIDDEN), "random"
            yield p + "self_attn.k_proj.weight", (kv, HIDDEN), "random"
            yield p + "self_attn.v_proj.weight", (kv, HIDDEN), "random"
        if family == "qwen3":
            yield p + "self_attn.q_norm.weight", (HEAD_DIM,), norm
            yield p + "self_attn.k_norm.weight", (HEAD_DIM,), norm
        yield p + "self_attn.o_proj.weight", (HIDDEN, q), "random"
        yield p + "post_attention_layernorm.weight", (HIDDEN,), norm
        if family == "gemma2":
            yield p + "pre_feedforward_layernorm.weight", (HIDDEN,), norm
            yield p + "post_feedforward_layernorm.weight", (HIDDEN,), norm
        if family == "phi3":
            yield p + "mlp.gate_up_proj.weight", (2 * INTER, HIDDEN), "random"
        else:
            yield p + "mlp.gate_proj.weight", (INTER, HIDDEN), "random"
            yield p + "mlp.up_proj.weight", (INTER, HIDDEN), "random"
        yield p + "mlp.down_proj.weight", (HIDDEN, INTER), "random"
    yield "model.norm.weight", (HIDDEN,), norm
    if family != "gemma2":  # Gemma ties the head to the embeddings
        yield "lm_head.weight", (VOCAB, HIDDEN), "random"


FAMILY_CONFIG = {
    "llama": {"architectures": ["LlamaForCausalLM"], "model_type": "llama"},
    "qwen3": {"architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3", "use_sliding_window": False},
    "gemma2": {"architectures": ["Gemma2ForCausalLM"], "model_type": "gemma2", "hidden_act": "gelu_pytorch_tanh",
               "hidden_activation": "gelu_pytorch_tanh", "query_pre_attn_scalar": HEAD_DIM,
               "attn_logit_softcapping": 50.0, "final_logit_softcapping": 30.0, "sliding_window": 256,
               "tie_word_embeddings": True},
    "phi3": {"architectures": ["Phi3ForCausalLM"], "model_type": "phi3", "sliding_window": CONTEXT - 1},
}


def bf16_bytes(values):
    # bfloat16 = the upper 16 bits of the float32 (truncation: exact and deterministic).
    return b"".join(struct.pack("<I", v)[2:] for v in struct.unpack(f"<{len(values)}I", struct.pack(f"<{len(values)}f", *values)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="tests/data/models/llama-demo-vocab")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--family", choices=sorted(FAMILY_CONFIG), default="llama")
    args = ap.parse_args()
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    rng = random.Random(args.seed)
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, shape, kind in tensors(args.family):
        n = 1
        for d in shape:
            n *= d
        values = [rng.gauss(0.0, 0.05) for _ in range(n)] if kind == "random" else [float(kind == "ones")] * n
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
    config.update(FAMILY_CONFIG[args.family])
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    shutil.copyfile(os.path.join(root, "resources/models/demo/tokenizer.model"), os.path.join(args.out, "tokenizer.model"))
    print(f"wrote {args.out}: {offset // 2:,} parameters")


if __name__ == "__main__":
    main()
