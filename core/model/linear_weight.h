#pragma once
// A linear layer's weight as the model holds it: dense, or the GPTQ / AWQ codes of a quantized checkpoint
// kept packed (one byte per weight instead of four in float32 on the CPU) and dequantized where the layer
// runs.
#include <ATen/core/Tensor.h>

#include <optional>

#include "quant/quantizer.h"

namespace llmdrop {

struct LinearWeight {
  at::Tensor dense;                       // (N, K) in the model's dtype; undefined when packed
  std::optional<QuantizedWeight> packed;  // on the model's device
  c10::ScalarType dtype = c10::ScalarType::Float;

  // (N, K) in dtype: the dense weight, or the packed one dequantized now (float16 products, as loaders).
  at::Tensor matrix() const;
  int64_t parameters() const { return packed ? packed->codes.numel() : dense.numel(); }
};

// x (…, K) → (…, N)
at::Tensor linear(const at::Tensor& x, const LinearWeight& w, const at::Tensor& bias = {});

}  // namespace llmdrop
