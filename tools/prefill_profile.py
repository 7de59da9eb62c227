#!/usr/bin/env python3
"""GPU machine: where a 2048-token prefill of the Llama-2-7B shape (bf16, batch 1) spends its time, op by op on
random tensors: the four projections as one GEMM each (fused q|k|v and gate|up, as our engine holds them), the
attention through each SDPA backend, and the element-wise passes — each the median of 20 timed runs after 3
warm-ups (CUDA events). Prints ms per layer and the implied rate."""
import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel


def timed(fn, repeats=20):
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeats):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end))
    return sorted(times)[len(times) // 2]


def main():
    t, hidden, inter, heads, d = 2048, 4096, 11008, 32, 128
    x = torch.randn(t, hidden, device="cuda", dtype=torch.bfloat16)
    total = 0.0
    print("| op | ms per layer | rate |")
    print("|---|---|---|")
    for name, n, k in [("qkv", 3 * hidden, hidden), ("o", hidden, hidden), ("gate_up", 2 * inter, hidden),
                       ("down", hidden, inter)]:
        a = torch.randn(t, k, device="cuda", dtype=torch.bfloat16)
        w = torch.randn(n, k, device="cuda", dtype=torch.bfloat16) * 0.02
        ms = timed(lambda: F.linear(a, w))
        total += ms
        print(f"| {name} GEMM {t}x{k}x{n} | {ms:.3f} | {2 * t * n * k / ms / 1e9:.0f} TFLOP/s |")
    q, kk, v = (torch.randn(1, heads, t, d, device="cuda", dtype=torch.bfloat16) for _ in range(3))
    flops = 4 * t * t * d * heads / 2
    for backend in [SDPBackend.FLASH_ATTENTION, SDPBackend.CUDNN_ATTENTION, SDPBackend.EFFICIENT_ATTENTION]:
        try:
            with sdpa_kernel([backend]):
                ms = timed(lambda: F.scaled_dot_product_attention(q, kk, v, is_causal=True))
            print(f"| sdpa causal {backend.name} | {ms:.3f} | {flops / ms / 1e9:.0f} TFLOP/s |")
        except RuntimeError as e:
            print(f"| sdpa causal {backend.name} | unavailable: {str(e)[:80]} | |")
    ms = timed(lambda: F.scaled_dot_product_attention(q, kk, v, is_causal=True))
    print(f"| sdpa causal default | {ms:.3f} | {flops / ms / 1e9:.0f} TFLOP/s |")
    g = torch.randn(t, 2 * inter, device="cuda", dtype=torch.bfloat16)
    norm_w = torch.ones(hidden, device="cuda", dtype=torch.bfloat16)
    for name, fn in [("rms_norm (fused) + weight", lambda: norm_w * F.rms_norm(x, (hidden,), eps=1e-5)),
                     ("residual add", lambda: x + x),
                     ("silu(gate) * up (two ops)", lambda: F.silu(g[:, :inter]) * g[:, inter:]),
                     ("transpose + reshape of attention output",
                      lambda: q.transpose(1, 2).reshape(t, heads * d).contiguous())]:
        print(f"| {name} | {timed(fn):.3f} | |")


if __name__ == "__main__":
    main()
