#pragma once
// The checkpoint layouts of quantized linear layers that the Python ecosystem loads (transformers with
// GPTQModel / AutoGPTQ / AutoAWQ kernels), for layer PREFIX (e.g. model.layers.0.self_attn.q_proj):
//   GPTQ (checkpoint_format gptq): PREFIX.qweight (K·bits/32, N) int32, codes packed along the input dim;
//     PREFIX.qzeros (G, N·bits/32) int32, zero − 1 packed along the output dim; PREFIX.scales (G, N) float16;
//     PREFIX.g_idx (K) int32.
//   AWQ (version gemm, 4 bits): PREFIX.qweight (K, N/8) int32, codes of the transposed weight packed along
//   the
//     output dim in AWQ's interleaved order (0 2 4 6 1 3 5 7); PREFIX.qzeros (G, N/8) likewise (zero itself);
//     PREFIX.scales (G, N) float16. Groups are consecutive input columns.
#include <ATen/core/Tensor.h>

#include <map>
#include <string>

#include "checkpoint/quant_scheme.h"

namespace llmdrop {

class TensorStore;

// A quantized linear layer as the formats hold it: codes, per-group scales and zeros, and each input column's
// group. W (N out, K in) ≈ scale[g(k), n] · (code[n, k] − zero[g(k), n]).
struct QuantizedWeight {
  at::Tensor codes;   // (N, K) uint8 in [0, 2^bits)
  at::Tensor scales;  // (G, N) float16
  at::Tensor zeros;   // (G, N) int32 in [0, 2^bits)
  at::Tensor g_idx;   // (K) int32: the group of each input column
  int bits = 4;

  // (N, K) float16: scale · (code − zero), the product rounded once (what GPTQ / AWQ loaders compute).
  at::Tensor dequantize() const;
  QuantizedWeight to(c10::Device device) const;
};

// Bit-stream packing of `values` (…, R, C) int, each < 2^bits, along dim 0 of (R, C): every 32 values of a
// column become `bits` consecutive int32 words, value j at bit 3j… of the 32·bits-bit stream (so 3-bit
// values straddle words, as GPTQ's 3-bit layout does). R must be a multiple of 32.
at::Tensor pack_rows(const at::Tensor& values, int bits);
at::Tensor unpack_rows(const at::Tensor& words, int bits);  // (R·bits/32, C) → (R, C) int32

// PREFIX.* tensors of `weight` in the scheme's format (AWQ for awq, GPTQ otherwise).
std::map<std::string, at::Tensor> pack_linear(const QuantizedWeight& weight, const QuantScheme& scheme,
                                              const std::string& prefix);
// Reads PREFIX.* back onto `device` (unpacked there: the int64 temporaries are eight times the codes);
// (out_features, in_features) as config.json implies. Throws BadInput when a tensor is missing or has the
// wrong shape.
QuantizedWeight unpack_linear(const TensorStore& store, const std::string& prefix, const QuantScheme& scheme,
                              int64_t out_features, int64_t in_features, c10::Device device = c10::kCPU);

}  // namespace llmdrop
