#!/usr/bin/env python3
"""Make the engine's reference fixtures with transformers (run on the GPU machine: tools/gpu/run.sh fixtures).

Writes, under OUT (default tests/data):
  models/<name>/        small random-weight Hugging Face checkpoints (llama, llama3 rope scaling, mistral
                        with a sliding window, qwen2 with q/k/v bias, a bf16 llama, a sharded one; qwen3,
                        gemma2, phi3 with LongRoPE and partial rotary, mistral-nemo's wide heads, and a
                        Llama-3-style model with the tokenizer.json fixture instead of tokenizer.model)
  reference/<name>.json transformers' log-probabilities for fixed token ids, float32 eager attention, TF32
                        off, computed on the CPU, with and without drops (a dropped module's output is
                        replaced by zeros), plus greedy continuations; for the newer families also LLM-Drop's
                        attention / MLP similarities from hooks (cos(h, h + branch output), the branch
                        output taken after Gemma 2's post-norms)
  tokenizer/reference.json  Python sentencepiece ids for a list of texts

Needs tests/data/tokenizer/tokenizer.model (tools/make_test_tokenizer.sh, run on Debian).
"""
import argparse
import json
import math
import os
import shutil
import sys

import sentencepiece as spm
import torch
import transformers
from transformers import (Gemma2Config, Gemma2ForCausalLM, LlamaConfig, LlamaForCausalLM, MistralConfig,
                          MistralForCausalLM, Phi3Config, Phi3ForCausalLM, Qwen2Config, Qwen2ForCausalLM,
                          Qwen3Config, Qwen3ForCausalLM)

SEQ_LEN = 40
SEED = 1234

COMMON = dict(vocab_size=384, hidden_size=64, intermediate_size=128, num_attention_heads=4,
              max_position_embeddings=256, rms_norm_eps=1e-5, bos_token_id=1, eos_token_id=2,
              attn_implementation="eager")


def rope(rope_type="default", theta=10000.0, **extra):
    return dict(rope_type=rope_type, rope_theta=theta, **extra)


def make_config(cls, rope_params, vocab=None, **kw):
    """Builds a config for transformers 5 (rope_parameters) or 4 (rope_theta/rope_scaling)."""
    common = dict(COMMON, vocab_size=vocab or COMMON["vocab_size"])
    try:
        return cls(**common, rope_parameters=rope_params, **kw)
    except TypeError:
        scaling = None if rope_params["rope_type"] == "default" else {
            k: v for k, v in rope_params.items() if k != "rope_theta"}
        return cls(**common, rope_theta=rope_params["rope_theta"], rope_scaling=scaling, **kw)


SPECS = {
    # name: (model class, config, save options)
    "llama": (LlamaForCausalLM, lambda: make_config(
        LlamaConfig, rope(), num_hidden_layers=6, num_key_value_heads=2, tie_word_embeddings=False), {}),
    "llama3": (LlamaForCausalLM, lambda: make_config(
        LlamaConfig, rope("llama3", 500000.0, factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                          original_max_position_embeddings=64),
        num_hidden_layers=4, num_key_value_heads=1, tie_word_embeddings=True),
        {"max_shard_size": "100KB", "v4_keys": True}),
    "mistral": (MistralForCausalLM, lambda: make_config(
        MistralConfig, rope(), num_hidden_layers=4, num_key_value_heads=2, sliding_window=8,
        tie_word_embeddings=False), {}),
    "qwen2": (Qwen2ForCausalLM, lambda: make_config(
        Qwen2Config, rope("default", 1000000.0), num_hidden_layers=4, num_key_value_heads=2,
        tie_word_embeddings=True, use_sliding_window=False), {}),
    # The newer families (#22): per-head q/k norms and head_dim != hidden / heads; Gemma 2 with soft-caps low
    # enough to bend a random model, alternating sliding windows, query_pre_attn_scalar != head_dim; Phi-3's
    # fused linears with LongRoPE (the 40-token ids exceed the 32 pretrained positions) and partial rotary.
    "qwen3": (Qwen3ForCausalLM, lambda: make_config(
        Qwen3Config, rope("default", 1000000.0), num_hidden_layers=4, num_key_value_heads=2, head_dim=32,
        tie_word_embeddings=True, use_sliding_window=False), {}),
    "gemma2": (Gemma2ForCausalLM, lambda: make_config(
        Gemma2Config, rope(), num_hidden_layers=4, num_key_value_heads=2, head_dim=32,
        query_pre_attn_scalar=20, attn_logit_softcapping=2.0, final_logit_softcapping=5.0, sliding_window=6,
        hidden_activation="gelu_pytorch_tanh", tie_word_embeddings=True), {}),
    "phi3": (Phi3ForCausalLM, lambda: make_config(
        Phi3Config, rope("longrope", 10000.0, short_factor=[1.0 + 0.25 * i for i in range(6)],
                         long_factor=[2.0 + 1.5 * i for i in range(6)], original_max_position_embeddings=32),
        num_hidden_layers=4, num_key_value_heads=2, partial_rotary_factor=0.75, sliding_window=10,
        original_max_position_embeddings=32, tie_word_embeddings=False, pad_token_id=0), {}),
    "mistral-nemo": (MistralForCausalLM, lambda: make_config(
        MistralConfig, rope(), num_hidden_layers=4, num_key_value_heads=2, head_dim=32, sliding_window=None,
        tie_word_embeddings=False), {}),
    "llama3-tokenizer-json": (LlamaForCausalLM, lambda: make_config(
        LlamaConfig, rope("llama3", 500000.0, factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                          original_max_position_embeddings=64),
        num_hidden_layers=4, num_key_value_heads=2, tie_word_embeddings=False,
        vocab=TOKENIZER_JSON_VOCAB), {"tokenizer_json": "llama3"}),
}
NEW_FAMILIES = {"qwen3", "gemma2", "phi3", "mistral-nemo", "llama3-tokenizer-json"}

# The Llama-3-style tokenizer.json fixture's size (tests/data/tokenizer_json/llama3): its vocabulary and its
# added tokens.
TOKENIZER_JSON_VOCAB = 1766

DROP_CASES_NEW = [([], []), ([1], [2]), ([0, 3], [0])]
DROP_CASES_4 = [([], []), ([1], []), ([], [2]), ([0, 2], [1]), ([3], [3])]
DROP_CASES_6 = [([], []), ([1], []), ([], [2]), ([0, 2], [1, 5]), ([3], [3]), ([1, 2, 4, 5], [])]


def randomize(model):
    """Weights large enough that the logits are far from uniform, and non-trivial norms and biases."""
    g = torch.Generator().manual_seed(SEED)
    with torch.no_grad():
        for name, p in model.named_parameters():
            r = torch.randn(p.shape, generator=g, dtype=torch.float32)
            if "norm" in name:
                p.copy_(1.0 + 0.3 * r)
            elif name.endswith("bias"):
                p.copy_(0.2 * r)
            elif "embed_tokens" in name:
                p.copy_(r)
            elif "lm_head" in name:
                p.copy_(2.0 * r / math.sqrt(p.shape[1]))
            else:
                p.copy_(r / math.sqrt(p.shape[1]))


def load(path, cls, dtype):
    try:
        return cls.from_pretrained(path, dtype=dtype, attn_implementation="eager").eval()
    except TypeError:
        return cls.from_pretrained(path, torch_dtype=dtype, attn_implementation="eager").eval()


def branch_outputs(layer):
    """The modules whose outputs a layer's attention and MLP branches add to the residual stream."""
    if hasattr(layer, "post_feedforward_layernorm"):  # Gemma 2: the post-norms end the branches
        return layer.post_attention_layernorm, layer.post_feedforward_layernorm
    return layer.self_attn, layer.mlp


@torch.no_grad()
def similarities(model, ids):
    """LLM-Drop's similarities with hooks (layer_drop_norm=True): cos(h, h + branch(h)) per token, in fp32,
    averaged; h is the residual stream entering the branch."""
    sims = {"attn": [], "mlp": []}
    handles = []
    for layer in model.model.layers:
        seen = {}
        attn_out, mlp_out = branch_outputs(layer)
        handles.append(layer.register_forward_pre_hook(
            lambda m, args, kwargs, seen=seen: seen.__setitem__("h", args[0] if args else kwargs["hidden_states"]),
            with_kwargs=True))

        def on_attn(m, inp, out, seen=seen):
            a = out[0] if isinstance(out, tuple) else out
            seen["m"] = seen["h"] + a
            sims["attn"].append(torch.nn.functional.cosine_similarity(
                seen["h"].float(), seen["m"].float(), dim=-1).mean().item())

        def on_mlp(m, inp, out, seen=seen):
            sims["mlp"].append(torch.nn.functional.cosine_similarity(
                seen["m"].float(), (seen["m"] + out).float(), dim=-1).mean().item())
        handles.append(attn_out.register_forward_hook(on_attn))
        handles.append(mlp_out.register_forward_hook(on_mlp))
    model(torch.tensor([ids]))
    for h in handles:
        h.remove()
    return sims


def with_drops(model, drop_attn, drop_mlp):
    """Forward hooks that replace the dropped modules' outputs by zeros (Gemma 2's post-norm of zeros is
    zeros, so its whole branch adds nothing)."""
    handles = []
    for i in drop_attn:
        handles.append(model.model.layers[i].self_attn.register_forward_hook(
            lambda m, inp, out: (torch.zeros_like(out[0]),) + tuple(out[1:])))
    for i in drop_mlp:
        handles.append(model.model.layers[i].mlp.register_forward_hook(
            lambda m, inp, out: torch.zeros_like(out)))
    return handles


@torch.no_grad()
def logprobs(model, ids):
    logits = model(torch.tensor([ids])).logits[0].float()
    lp = torch.log_softmax(logits, dim=-1)
    return [lp[t, ids[t + 1]].item() for t in range(len(ids) - 1)]


@torch.no_grad()
def greedy(model, prompt, n):
    ids = list(prompt)
    for _ in range(n):
        ids.append(int(model(torch.tensor([ids])).logits[0, -1].argmax()))
    return ids[len(prompt):]


def to_v4_keys(config_path):
    """Rewrites a transformers-5 config.json with the 4.x keys most Hub checkpoints carry."""
    with open(config_path) as f:
        cfg = json.load(f)
    params = cfg.pop("rope_parameters", None)
    if params is not None:
        cfg["rope_theta"] = params["rope_theta"]
        scaling = {k: v for k, v in params.items() if k != "rope_theta"}
        cfg["rope_scaling"] = None if scaling.get("rope_type") == "default" else scaling
    if "dtype" in cfg:
        cfg["torch_dtype"] = cfg.pop("dtype")
    with open(config_path, "w") as f:
        json.dump(cfg, f, indent=2, sort_keys=True)


def reference_cases(path, cls, ids, drop_cases, dtypes):
    cases = []
    for dtype in dtypes:
        model = load(path, cls, getattr(torch, dtype))
        for drop_attn, drop_mlp in drop_cases:
            handles = with_drops(model, drop_attn, drop_mlp)
            cases.append(dict(dtype=dtype, drop_attn=drop_attn, drop_mlp=drop_mlp,
                              logprobs=logprobs(model, ids), greedy=greedy(model, ids[:8], 12)))
            for h in handles:
                h.remove()
    return cases


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "tests", "data"))
    args = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.manual_seed(SEED)
    out = os.path.abspath(args.out)
    tokenizer_model = os.path.join(out, "tokenizer", "tokenizer.model")
    print("transformers", transformers.__version__, "torch", torch.__version__)

    g = torch.Generator().manual_seed(SEED)
    ids = [1] + torch.randint(3, COMMON["vocab_size"], (SEQ_LEN - 1,), generator=g).tolist()

    for name, (cls, make, opts) in SPECS.items():
        path = os.path.join(out, "models", name)
        shutil.rmtree(path, ignore_errors=True)
        config = make()
        model = cls(config).eval()
        randomize(model)
        save_kw = {"max_shard_size": opts["max_shard_size"]} if "max_shard_size" in opts else {}
        model.save_pretrained(path, **save_kw)
        if "tokenizer_json" in opts:
            for f in ("tokenizer.json", "tokenizer_config.json"):
                shutil.copy(os.path.join(out, "tokenizer_json", opts["tokenizer_json"], f), path)
        else:
            shutil.copy(tokenizer_model, path)
        if opts.get("v4_keys"):
            to_v4_keys(os.path.join(path, "config.json"))
        drops = (DROP_CASES_NEW if name in NEW_FAMILIES
                 else DROP_CASES_6 if config.num_hidden_layers == 6 else DROP_CASES_4)
        ref = dict(model=name, ids=ids, transformers=transformers.__version__,
                   cases=reference_cases(path, cls, ids, drops, ["float32"]))
        if name in NEW_FAMILIES:
            ref["similarities"] = similarities(load(path, cls, torch.float32), ids)
        if name == "mistral":  # proves the fixture exercises the window: without it the numbers differ
            full = load(path, cls, torch.float32)
            full.config.sliding_window = None
            ref["max_diff_without_window"] = max(
                abs(a - b) for a, b in zip(logprobs(full, ids), ref["cases"][0]["logprobs"]))
        if name == "llama":
            # bf16 rounding error of a log-probability grows with the logits' magnitude (their ulp does).
            # Record how far transformers' own bf16 run is from its fp32 run on this peaky model ...
            bf16 = load(path, cls, torch.bfloat16)
            ref["bf16_transformers_error"] = max(
                abs(a - b) for a, b in zip(logprobs(bf16, ids), ref["cases"][0]["logprobs"]))
            # ... and make the bf16 checkpoint (the drop/KV acceptance case) from the same weights with the
            # lm_head scaled by 1/4, so logits are O(1) and bf16 engines can be compared at 2e-2.
            bf16_path = os.path.join(out, "models", "llama-bf16")
            shutil.rmtree(bf16_path, ignore_errors=True)
            tamed = load(path, cls, torch.float32)
            with torch.no_grad():
                tamed.lm_head.weight.mul_(0.25)
            tamed.to(torch.bfloat16).save_pretrained(bf16_path)
            shutil.copy(tokenizer_model, bf16_path)
            bf16_cases = [([], []), ([1, 2, 4, 5], [])]
            write_json(os.path.join(out, "reference", "llama-bf16.json"), dict(
                model="llama-bf16", ids=ids, transformers=transformers.__version__,
                cases=reference_cases(bf16_path, cls, ids, bf16_cases, ["float32", "bfloat16"])))
        write_json(os.path.join(out, "reference", name + ".json"), ref)
        with open(os.path.join(path, "config.json")) as f:
            print(name, "config:", f.read().replace("\n", " "))

    sp = spm.SentencePieceProcessor(model_file=tokenizer_model)
    texts = ["", "Hello world", " leading space", "trailing space ", "two  spaces and\nnew line",
             "The GNU General Public License is a free, copyleft license for software.",
             "Numbers 12345 and 3.14159", "café naïve résumé", "日本語のテキスト", "emoji 🙂👍",
             "tabs\tand\r\ncarriage returns", "UPPER lower MiXeD", "    ", "a"]
    write_json(os.path.join(out, "tokenizer", "reference.json"), dict(
        sentencepiece=spm.__version__, cases=[dict(text=t, ids=sp.encode(t)) for t in texts]))
    print("done")


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
