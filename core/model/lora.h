#pragma once
// LoRA (Hu et al.) as PEFT applies it to a linear layer: y = W·x + scaling · B·(A·x), A (r, K) and B (N, r)
// in float32 whatever the model's dtype, scaling = alpha / r. A fused weight (q | k | v, gate | up) carries
// one adapter per part, as PEFT puts one on each projection.
#include <ATen/core/Tensor.h>

#include <vector>

namespace llmdrop {

struct LoraPart {
  at::Tensor a;  // (r, K) float32
  at::Tensor b;  // (rows, r) float32
};

struct LoraAdapter {
  std::vector<LoraPart> parts;  // in the fused weight's row order
  double scaling = 1;

  // y (…, Σ rows) + scaling · B·A·x per part for x (…, K): added in float32 and rounded once to y's dtype, as
  // PEFT adds it.
  at::Tensor added_to(const at::Tensor& y, const at::Tensor& x) const;
  // (rows, K) float32: scaling · B·A of part `part` (what merging adds to its rows of the weight).
  at::Tensor weight_delta(size_t part) const;
};

}  // namespace llmdrop
