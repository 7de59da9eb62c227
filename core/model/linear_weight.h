#pragma once
// A linear layer's weight as the model holds it: dense, or the GPTQ / AWQ codes of a quantized checkpoint
// kept packed and dequantized where the layer runs — one byte per weight on the CPU, half a byte on a GPU
// (the 4-bit layout the decode kernels read).
#include <ATen/core/Tensor.h>

#include <optional>

#include "checkpoint/quant_formats.h"

namespace llmdrop {

// 4-bit codes laid out for model/cuda's matrix–vector kernel. The input columns are first put in group order
// (act-order checkpoints: `input_order`), so each group of `group_size` columns is contiguous, then padded
// with zero codes to blocks of 1024. In block b, lane l of a warp reads 16 bytes = 4 words; word w holds the
// 8 codes of columns 1024b + 256w + 8l + e, e < 8, code e = 2j in bits 4j…4j+3 and e = 2j+1 in bits 16+4j…,
// so that one mask turns a word into float16 pairs and the lanes' inputs are consecutive.
struct Int4Weight {
  at::Tensor words;       // (N, padded K / 8) int32
  at::Tensor scale_zero;  // (N, G) int32: float16 scale in the low half, float16 1024 + zero in the high half
  at::Tensor input_order;  // (K) int32: the input column of each stored column; undefined when in order
  int64_t in_features = 0, group_size = 0;

  static constexpr int64_t kBlock = 1024;  // columns per block of the layout
  // The layout of q, or nothing when it cannot hold it: not 4 bits, or groups that are not, once sorted, runs
  // of 8, 16, 32… columns or one per row.
  static std::optional<Int4Weight> from(const QuantizedWeight& q);
  QuantizedWeight unpack() const;  // the codes, scales, zeros and g_idx again, on this layout's device
  Int4Weight to(c10::Device device) const;
};

struct LinearWeight {
  at::Tensor dense = {};                       // (N, K) in the model's dtype; undefined when packed
  std::optional<QuantizedWeight> packed = {};  // on the CPU
  std::optional<Int4Weight> int4 = {};         // on a GPU
  c10::ScalarType dtype = c10::ScalarType::Float;

  // (N, K) in dtype: the dense weight, or the packed one dequantized now (float16 products, as loaders).
  at::Tensor matrix() const;
  int64_t parameters() const;
};

// x (…, K) → (…, N)
at::Tensor linear(const at::Tensor& x, const LinearWeight& w, const at::Tensor& bias = {});

}  // namespace llmdrop
