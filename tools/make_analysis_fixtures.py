#!/usr/bin/env python3
"""Reference importance scores and drop selections, computed with transformers the way LLM-Drop's scripts
compute them (forward hooks on the decoder layers and their attention / MLP / norms), for the engine's
analysis tests. Run on the GPU machine (tools/gpu/run.sh analysis); computes on the CPU in fp32, eager attention.

Writes tests/data/calibration/calib.jsonl (the calibration documents, taken from resources/text/demo_heldout.txt)
and tests/data/reference/analysis.json: similarities, the consecutive matrix and its last-token angular version
(Gromov et al.: arccos(cos(h_i, h_{i+g}))/pi on each block's last token, averaged over the blocks), the NLL
increase and FinerCut's KL / JS divergences of each module dropped (the module's output zeroed by a hook, as
LLM-Drop's modeling code skips it), drop selections, Gromov's span choice for every span length, and the logit
lens (final norm and head after every attention and MLP sub-layer: top-5 ids and probabilities) on a prompt.
Run once per model: the hidden-size-256 test model (analysis.json) and the demo model (--model
resources/models/demo --out tests/data/reference/analysis_demo.json).
"""
import argparse
import json
import math
import os

import sentencepiece as spm
import torch
import torch.nn.functional as F
from transformers import AutoModelForCausalLM

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SAMPLES, SEQ_LEN = 4, 64


def calibration_blocks(sp, texts, eos):
    """LLM-Drop "pt": encode(text) + EOS per document, no BOS, concatenated, blocks of SEQ_LEN, first SAMPLES."""
    stream = []
    for text in texts:
        stream += sp.encode(text) + [eos]
    blocks = [stream[i * SEQ_LEN:(i + 1) * SEQ_LEN] for i in range(len(stream) // SEQ_LEN)][:SAMPLES]
    assert len(blocks) == SAMPLES
    return torch.tensor(blocks)


class Recorder:
    """Hooks capturing, per layer, the pairs whose cosine similarity LLM-Drop averages."""

    def __init__(self, model, drop_attn=(), drop_mlp=()):
        self.pairs = {}  # (kind, layer) → list of (a, b)
        self.states = []  # inputs of every layer, then the last output
        self.handles = []
        layers = model.model.layers
        for i, layer in enumerate(layers):
            self.handles.append(layer.register_forward_pre_hook(self.layer_in(i), with_kwargs=True))
            self.handles.append(layer.register_forward_hook(self.layer_out(i, len(layers)), with_kwargs=True))
            self.handles.append(layer.input_layernorm.register_forward_hook(self.keep(i, "ln1")))
            self.handles.append(layer.post_attention_layernorm.register_forward_hook(self.keep(i, "ln2")))
            self.handles.append(layer.self_attn.register_forward_hook(self.module_out(i, "attn", i in drop_attn)))
            self.handles.append(layer.mlp.register_forward_hook(self.module_out(i, "mlp", i in drop_mlp)))
        self.cache = {}

    def layer_in(self, i):
        def hook(module, args, kwargs):
            h = args[0] if args else kwargs["hidden_states"]
            self.cache[("h", i)] = h
            self.states.append(h)
        return hook

    def layer_out(self, i, n):
        def hook(module, args, kwargs, out):
            out = out[0] if isinstance(out, tuple) else out
            self.pairs.setdefault(("block", i), []).append((self.cache[("h", i)], out))
            if i == n - 1:
                self.states.append(out)
        return hook

    def keep(self, i, name):
        def hook(module, inputs, out):
            self.cache[(name + "_in", i)] = inputs[0]
            self.cache[(name + "_out", i)] = out
        return hook

    def module_out(self, i, kind, dropped):
        def hook(module, inputs, out):
            value = out[0] if isinstance(out, tuple) else out
            if dropped:  # a dropped module contributes nothing
                zero = torch.zeros_like(value)
                return (zero,) + tuple(out[1:]) if isinstance(out, tuple) else zero
            ln = "ln1" if kind == "attn" else "ln2"
            residual = self.cache[(ln + "_in", i)]
            self.pairs.setdefault((kind, i, "norm"), []).append((residual, residual + value))
            self.pairs.setdefault((kind, i, "no-norm"), []).append((self.cache[(ln + "_out", i)], value))
        return hook

    def remove(self):
        for h in self.handles:
            h.remove()


def mean_cos(pairs):
    cos = torch.cat([F.cosine_similarity(a.float(), b.float(), dim=-1).flatten() for a, b in pairs])
    return cos.double().mean().item(), (torch.arccos(cos.clamp(-1, 1)).double() / math.pi).mean().item()


@torch.no_grad()
def score(model, blocks, drop_attn=(), drop_mlp=(), consecutive=False):
    """The scores with these modules dropped; out["log_probs"]: each block's next-token log-probabilities
    (T, V) in float64, for the divergences (not written)."""
    rec = Recorder(model, drop_attn, drop_mlp)
    nll, states_by_batch, log_probs = 0.0, [], []
    for b in range(blocks.shape[0]):  # batch size 1, as LLM-Drop
        rec.states = []
        logits = model(blocks[b:b + 1]).logits.float()
        nll += F.cross_entropy(logits[0, :-1], blocks[b, 1:], reduction="sum").item()
        log_probs.append(F.log_softmax(logits[0].double(), -1))
        states_by_batch.append(rec.states)
    rec.remove()
    n = len(model.model.layers)
    out = {"base_nll": nll / (blocks.shape[0] * (blocks.shape[1] - 1)), "log_probs": log_probs}
    for kind in ("block", "attn", "mlp"):
        for norm in ("norm", "no-norm"):
            key = kind if kind == "block" else f"{kind}_{norm}"
            if kind == "block" and norm == "no-norm":
                continue
            cos, ang = [], []
            for i in range(n):
                pairs = rec.pairs.get((kind, i) if kind == "block" else (kind, i, norm))
                c, a = mean_cos(pairs) if pairs else (None, None)
                cos.append(c)
                ang.append(a)
            out[key] = {"cosine": cos, "angular": ang}
    if consecutive:
        matrix = []
        for i in range(n):
            row = []
            for j in range(i + 1, n + 1):
                row.append(mean_cos([(s[i], s[j]) for s in states_by_batch])[0])
            matrix.append(row)
        out["consecutive"] = matrix
        out["last_token_angular"] = [[mean_cos([(s[i][:, -1], s[j][:, -1]) for s in states_by_batch])[1]
                                      for j in range(i + 1, n + 1)] for i in range(n)]
    return out


def divergences(base_log_probs, dropped_log_probs):
    """Mean over every token of every block of KL(p || q) and of the Jensen-Shannon divergence."""
    kl = js = tokens = 0.0
    for log_p, log_q in zip(base_log_probs, dropped_log_probs):
        p, q = log_p.exp(), log_q.exp()
        log_m = torch.log((p + q) / 2)
        kl += (p * (log_p - log_q)).sum().item()
        js += (0.5 * (p * (log_p - log_m)).sum() + 0.5 * (q * (log_q - log_m)).sum()).item()
        tokens += log_p.shape[0]
    return kl / tokens, js / tokens


@torch.no_grad()
def logit_lens(model, ids, k=5):
    """Rows in layer order, attention then MLP: the residual stream after the sub-layer (m = h + attn, then
    the block output) through the final norm and the head, float64 softmax; each position's top k."""
    streams = []
    handles = []
    for layer in model.model.layers:
        # m = h + self_attn(...): the post-attention norm's input.
        handles.append(layer.post_attention_layernorm.register_forward_hook(
            lambda mod, inputs, out: streams.append(inputs[0])))
        handles.append(layer.register_forward_hook(
            lambda mod, args, out: streams.append(out[0] if isinstance(out, tuple) else out)))
    model(torch.tensor([ids]))
    for h in handles:
        h.remove()
    rows = []
    for r, h in enumerate(streams):
        probs = F.softmax(model.lm_head(model.model.norm(h))[0].double(), -1)  # (T, V)
        top_probs, top_ids = probs.topk(k, -1)
        rows.append({"layer": r // 2, "after": "mlp" if r % 2 else "attn", "ids": top_ids.tolist(),
                     "probs": top_probs.tolist()})
    return rows


def top(similarity, k, excluded=()):
    order = sorted((i for i, s in enumerate(similarity) if s is not None and i not in excluded),
                   key=lambda i: -similarity[i])
    return sorted(order[:k])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(ROOT, "tests/data/models/llama"))
    ap.add_argument("--out", default=os.path.join(ROOT, "tests/data/reference/analysis.json"))
    args = ap.parse_args()
    torch.manual_seed(0)
    text = open(os.path.join(ROOT, "resources/text/demo_heldout.txt"), encoding="utf-8").read()
    texts = [t for t in text.split("\n\n") if t.strip()][:40]
    calib = os.path.join(ROOT, "tests/data/calibration/calib.jsonl")
    os.makedirs(os.path.dirname(calib), exist_ok=True)
    with open(calib, "w", encoding="utf-8") as f:
        for t in texts:
            f.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")
    sp = spm.SentencePieceProcessor(model_file=os.path.join(args.model, "tokenizer.model"))
    blocks = calibration_blocks(sp, texts, sp.eos_id())
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32, attn_implementation="eager").eval()
    n = len(model.model.layers)

    base = score(model, blocks, consecutive=True)
    # SLEB-style measured effect: mean NLL with one module dropped, minus the base.
    # FinerCut's measure from the same runs: KL / JS of the next-token distributions.
    nll_delta = {"attn": [], "mlp": [], "block": []}
    divergence = {"kl": {"attn": [], "mlp": [], "block": []}, "js": {"attn": [], "mlp": [], "block": []}}
    for i in range(n):
        for kind, da, dm in (("attn", (i,), ()), ("mlp", (), (i,)), ("block", (i,), (i,))):
            without = score(model, blocks, da, dm)
            nll_delta[kind].append(without["base_nll"] - base["base_nll"])
            kl, js = divergences(base["log_probs"], without["log_probs"])
            divergence["kl"][kind].append(kl)
            divergence["js"][kind].append(js)

    selections = {
        "discrete_attn_2": {"drop_attn_list": top(base["attn_norm"]["cosine"], 2), "drop_mlp_list": []},
        "discrete_mlp_2": {"drop_attn_list": [], "drop_mlp_list": top(base["mlp_norm"]["cosine"], 2)},
        "discrete_block_2": {"drop_attn_list": top(base["block"]["cosine"], 2),
                             "drop_mlp_list": top(base["block"]["cosine"], 2)},
    }
    joint = sorted([(s, "attn", i) for i, s in enumerate(base["attn_norm"]["cosine"])] +
                   [(s, "mlp", i) for i, s in enumerate(base["mlp_norm"]["cosine"])], key=lambda x: -x[0])[:3]
    selections["joint_all_3"] = {"drop_attn_list": sorted(i for _, k, i in joint if k == "attn"),
                                 "drop_mlp_list": sorted(i for _, k, i in joint if k == "mlp")}
    best = max(range(n - 2 + 1), key=lambda i: base["consecutive"][i][2 - 1])  # gap n = 2
    selections["consecutive_block_2"] = {"drop_attn_list": [best, best + 1], "drop_mlp_list": [best, best + 1]}
    dropped = []
    for _ in range(2):  # iterative attention drop: re-score with the earlier choices dropped
        sims = score(model, blocks, tuple(dropped))["attn_norm"]["cosine"]
        dropped.append(top(sims, 1, excluded=dropped)[0])
    selections["iterative_attn_2"] = {"drop_attn_list": sorted(dropped), "drop_mlp_list": []}
    base.pop("log_probs")
    # Gromov et al.: for each span length g, the window [i, i + g) whose ends are closest on the last token.
    last = base["last_token_angular"]
    spans = {str(g): min(range(n - g + 1), key=lambda i: last[i][g - 1]) for g in range(1, n + 1)}
    lens_ids = blocks[0, :12].tolist()

    out = {"model": os.path.relpath(args.model, ROOT), "samples": SAMPLES, "seq_len": SEQ_LEN,
           "blocks": blocks.tolist(), "scores": base, "nll_delta": nll_delta, "divergence": divergence,
           "selections": selections, "angular_last_spans": spans,
           "lens": {"ids": lens_ids, "rows": logit_lens(model, lens_ids)}}
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
    print(json.dumps(selections))
    print("attn (norm):", [round(x, 6) for x in base["attn_norm"]["cosine"]])


if __name__ == "__main__":
    main()
