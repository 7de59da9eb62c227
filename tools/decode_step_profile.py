#!/usr/bin/env python3
"""GPU machine: where a Llama-2-7B-shaped decode step (bf16, batch 1) spends its time, with the ATen operations
that core/model/model.cpp issues, written out here in Python so that variants can be timed side by side.

Each variant's step is captured as a CUDA graph (as DecodeGraph does) and replayed; the table gives the median
step time, tokens/s and the kernel count per step, at two cache capacities. A `torch.profiler` table of the
heaviest kernels follows for the first and last variants, then the same for a 2048-token prefill
(bool mask vs is_causal). The weights-only GEMV floor (every linear, no attention) is the first row.

  python3 tools/decode_step_profile.py [--layers 32] [--capacities 64,2304]
"""
import argparse
import statistics

import torch
import torch.nn.functional as F

H, KV, D, HIDDEN, INTER, VOCAB, EPS = 32, 32, 128, 4096, 11008, 32000, 1e-5


def make_weights(layers):
    torch.manual_seed(0)
    g = lambda *s: torch.randn(*s, device="cuda", dtype=torch.bfloat16) * 0.02
    return dict(embed=g(VOCAB, HIDDEN), lm_head=g(VOCAB, HIDDEN), final_norm=torch.ones(HIDDEN, device="cuda",
                dtype=torch.bfloat16), layers=[dict(qkv=g((H + 2 * KV) * D, HIDDEN), o=g(HIDDEN, H * D),
                gate_up=g(2 * INTER, HIDDEN), down=g(HIDDEN, INTER),
                n1=torch.ones(HIDDEN, device="cuda", dtype=torch.bfloat16),
                n2=torch.ones(HIDDEN, device="cuda", dtype=torch.bfloat16)) for _ in range(layers)])


def rms_norm_composite(x, w):  # model.cpp rms_norm
    xf = x.float()
    xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + EPS)
    return w * xf.to(x.dtype)


def rms_norm_fused(x, w):
    return F.rms_norm(x, (x.shape[-1],), w, EPS)


def rope_cat(x, cos, sin):  # rope.cpp apply_rope
    half = x.shape[-1] // 2
    rotated = torch.cat([-x[..., half:], x[..., :half]], -1)
    return x * cos + rotated * sin


def rope_signed(x, cos, sin_signed):  # sin_signed = cat(-sin_half, sin_half): one flip, one mul, one addcmul
    flipped = x.view(*x.shape[:-1], 2, x.shape[-1] // 2).flip(-2).view(x.shape)
    return torch.addcmul(x * cos, flipped, sin_signed)


class Step:
    """One decode step; `opts` picks the variant of each piece."""

    def __init__(self, w, capacity, opts):
        self.w, self.opts, self.cap = w, opts, capacity
        n = len(w["layers"])
        self.k = [torch.zeros(1, KV, capacity, D, device="cuda", dtype=torch.bfloat16) for _ in range(n)]
        self.v = [torch.zeros(1, KV, capacity, D, device="cuda", dtype=torch.bfloat16) for _ in range(n)]
        self.token = torch.zeros(1, 1, dtype=torch.long, device="cuda")
        self.position = torch.full((1,), capacity - 1, dtype=torch.long, device="cuda")
        self.inv_freq = 1.0 / (10000 ** (torch.arange(0, D, 2, device="cuda").float() / D))

    def __call__(self):
        o, w = self.opts, self.w
        norm = rms_norm_fused if o.get("fused_norm") else rms_norm_composite
        freqs = self.position.float().unsqueeze(-1) * self.inv_freq
        emb = torch.cat([freqs, freqs], -1)
        cos, sin = emb.cos().bfloat16(), emb.sin().bfloat16()  # (1, D)
        if o.get("rope") == "signed":
            half = D // 2
            sin = torch.cat([-sin[..., :half], sin[..., half:]], -1)
        slots = torch.arange(self.cap, device="cuda")
        mask = (slots <= self.position).view(1, 1, 1, -1)
        if o.get("float_mask"):
            mask = torch.zeros(mask.shape, device="cuda", dtype=torch.bfloat16).masked_fill(~mask, float("-inf"))
        h = F.embedding(self.token, w["embed"])
        for i, lw in enumerate(w["layers"]):
            x = norm(h, lw["n1"])
            qkv = F.linear(x, lw["qkv"])
            if o.get("gemv_only"):
                a = qkv[..., :H * D]
            else:
                if o.get("rope") == "signed":
                    qk = rope_signed(qkv[..., :(H + KV) * D].view(1, 1, H + KV, D), cos, sin)
                    q, k = qk[:, :, :H].transpose(1, 2), qk[:, :, H:].transpose(1, 2)
                else:
                    q = rope_cat(qkv[..., :H * D].view(1, 1, H, D).transpose(1, 2), cos, sin)
                    k = rope_cat(qkv[..., H * D:(H + KV) * D].view(1, 1, KV, D).transpose(1, 2), cos, sin)
                v = qkv[..., (H + KV) * D:].view(1, 1, KV, D).transpose(1, 2)
                self.k[i].index_copy_(2, self.position, k)
                self.v[i].index_copy_(2, self.position, v)
                if o.get("attn") == "matmul":
                    s = torch.matmul(q, self.k[i].transpose(2, 3)).float() * (D ** -0.5) + mask
                    a = torch.matmul(torch.softmax(s, -1).to(q.dtype), self.v[i])
                else:
                    a = F.scaled_dot_product_attention(q, self.k[i], self.v[i], attn_mask=mask, scale=D ** -0.5)
                a = a.transpose(1, 2).reshape(1, 1, H * D)
            h = h + F.linear(a, lw["o"])
            x = norm(h, lw["n2"])
            gu = F.linear(x, lw["gate_up"])
            if o.get("gemv_only"):
                m = gu[..., :INTER]
            else:
                m = F.silu(gu[..., :INTER]) * gu[..., INTER:]
            h = h + F.linear(m, lw["down"])
        return F.linear(norm(h, w["final_norm"]), w["lm_head"])


def time_graph(fn, reps=50):
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        for _ in range(3):
            fn()
    torch.cuda.current_stream().wait_stream(s)
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g):
        fn()
    times = []
    for _ in range(reps):
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record()
        g.replay()
        b.record()
        b.synchronize()
        times.append(a.elapsed_time(b))
    return statistics.median(times), g


def kernel_table(fn, label, rows=14):
    from torch.profiler import ProfilerActivity, profile
    fn()
    torch.cuda.synchronize()
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        fn()
        torch.cuda.synchronize()
    events = [e for e in prof.events() if e.device_type == torch.autograd.DeviceType.CUDA]
    duration = lambda e: getattr(e, "device_time", None) or getattr(e, "cuda_time", 0.0)
    total = sum(duration(e) for e in events)
    print(f"\n{label}: {len(events)} kernels, {total / 1e3:.3f} ms of kernel time")
    by_name = {}
    for e in events:
        n, t = by_name.get(e.name, (0, 0.0))
        by_name[e.name] = (n + 1, t + duration(e))
    for name, (n, t) in sorted(by_name.items(), key=lambda kv: -kv[1][1])[:rows]:
        print(f"  {t / 1e3:8.3f} ms {n:5d}x  {name[:110]}")
    return len(events)


@torch.inference_mode()
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--layers", type=int, default=32)
    ap.add_argument("--capacities", default="64,2304")
    args = ap.parse_args()
    w = make_weights(args.layers)
    weight_bytes = sum(t.numel() * 2 for l in w["layers"] for t in l.values()) + w["lm_head"].numel() * 2
    variants = [("GEMV floor (linears + norms only)", dict(gemv_only=True, fused_norm=True)),
                ("as model.cpp", {}),
                ("+ fused rms_norm", dict(fused_norm=True)),
                ("+ signed rope on q,k together", dict(fused_norm=True, rope="signed")),
                ("+ float mask", dict(fused_norm=True, rope="signed", float_mask=True)),
                ("+ matmul attention", dict(fused_norm=True, rope="signed", float_mask=True, attn="matmul"))]
    print(f"{args.layers} layers, weights {weight_bytes / 1e9:.2f} GB")
    print("| variant | capacity | step ms | tok/s | kernels | weight GB/s |")
    print("|---|---|---|---|---|---|")
    for cap in [int(c) for c in args.capacities.split(",")]:
        for label, opts in variants:
            step = Step(w, cap, opts)
            ms, _ = time_graph(step)
            n = kernel_table(step, f"{label}, capacity {cap}", rows=0)
            print(f"| {label} | {cap} | {ms:.3f} | {1e3 / ms:.1f} | {n} | {weight_bytes / ms / 1e6:.0f} |",
                  flush=True)
    for label, opts in (variants[1], variants[-2], variants[-1]):
        kernel_table(Step(w, 2304, opts), f"decode step, {label}, capacity 2304")

    x = torch.randn(1, 2048, H, D, device="cuda", dtype=torch.bfloat16).transpose(1, 2)
    causal = torch.ones(2048, 2048, device="cuda", dtype=torch.bool).tril()
    for label, kw in (("bool mask", dict(attn_mask=causal)), ("is_causal", dict(is_causal=True))):
        f = lambda: F.scaled_dot_product_attention(x, x, x, **kw)
        ms, _ = time_graph(f)
        print(f"prefill attention 2048 tokens, one layer, {label}: {ms:.3f} ms")
    lw = w["layers"][0]
    xs = torch.randn(1, 2048, HIDDEN, device="cuda", dtype=torch.bfloat16)
    f = lambda: (F.linear(xs, lw["qkv"]), F.linear(xs, lw["o"]), F.linear(F.linear(xs, lw["gate_up"])[..., :INTER],
                                                                            lw["down"]))
    ms, _ = time_graph(f)
    flops = 2 * 2048 * sum(lw[k].numel() for k in ("qkv", "o", "gate_up")) + 2 * 2048 * lw["down"].numel()
    print(f"prefill GEMMs 2048 tokens, one layer: {ms:.3f} ms ({flops / ms / 1e9:.0f} TFLOP/s)")


if __name__ == "__main__":
    main()
