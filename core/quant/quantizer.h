#pragma once
// Group-wise weight quantization of one linear layer: round-to-nearest, GPTQ (Frantar et al.) and the
// pieces of AWQ (Lin et al.) that work on a weight and its input activations. W (N out, K in) ≈ Ŵ with
// Ŵ[n, k] = scale[g(k), n] · (code[n, k] − zero[g(k), n]), scales rounded to float16 as the formats store
// them.
#include <ATen/core/Tensor.h>

#include "checkpoint/quant_formats.h"
#include "checkpoint/quant_scheme.h"

namespace llmdrop {

// Per-row grid of a group of columns w (N, C): (scale, zero), each (N) float32, zero integral.
struct QuantGrid {
  at::Tensor scale, zero;
};
// GPTQ's Quantizer.find_params: the range [min(w, 0), max(w, 0)], symmetric about the middle code when
// `sym`. Asymmetric zero points are kept ≥ 1: the GPTQ format stores zero − 1. With `mse`, per row the range
// shrunk by the factor among 1, 0.99 … 0.21 whose codes give the least Σ |ŵ − w|^2.4, as find_params(mse).
QuantGrid gptq_grid(const at::Tensor& w, int bits, bool sym, bool mse = false);
// AWQ's pseudo_quantize_tensor grid (zero point): the range [min(w), max(w)].
QuantGrid awq_grid(const at::Tensor& w, int bits);
// (N, C) codes clamp(round(w / scale) + zero, 0, 2^bits − 1), as float.
at::Tensor quantize_to_codes(const at::Tensor& w, const QuantGrid& grid, int bits);

// Round-to-nearest with the scheme's grid (GPTQ's for rtn / gptq, AWQ's for awq), groups in column order.
QuantizedWeight quantize_rtn(const at::Tensor& weight, const QuantScheme& scheme);
// GPTQ: hessian (K, K) = 2/n Σ x xᵀ over the calibration inputs of this layer. Throws BadInput when H + damp
// is not positive definite.
QuantizedWeight quantize_gptq(const at::Tensor& weight, const at::Tensor& hessian, const QuantScheme& scheme);

// AWQ's fake quantization: (N, K) → (N, K) dequantized on the AWQ grid per group (float32).
at::Tensor awq_fake_quantize(const at::Tensor& weight, int bits, int64_t group_size);
// AWQ's clipping search: per output row and group, the range [min w, max w] shrunk by the factor among 1,
// 0.99 … 0.21 whose fake-quantized group outputs on x (T, K; at most 512 of its tokens) are closest to the
// original's. Returns the clipped weight. AutoAWQ clips symmetrically to ±max|w|·(1 − i/20), i < 10: on the
// demo model this search (with q and k clipped too) took AWQ's held-out perplexity from 24.94 to 24.67.
at::Tensor awq_clip(const at::Tensor& weight, const at::Tensor& x, int bits, int64_t group_size);

}  // namespace llmdrop
