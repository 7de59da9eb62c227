#pragma once
// Hidden-state observers: analysis code sees every layer's residual stream and module outputs as the
// forward pass produces them, without copying the model or keeping the states.
#include <ATen/core/Tensor.h>

#include <cstdint>

namespace llmdrop {

// Tensors are (B, T, hidden) unless noted, in the model's dtype, on its device. A dropped module's tensors
// are undefined (`!t.defined()`).
struct LayerTrace {
  int64_t layer = 0;
  at::Tensor input;        // h: residual stream entering the layer
  at::Tensor attn_input;   // LN1(h)
  at::Tensor attn_heads;   // (B, T, H·D) the attention heads' output: the o projection's input
  at::Tensor attn_output;  // Attn(LN1(h))
  at::Tensor mid;          // m = h + Attn(LN1(h)) (= h when attention is dropped)
  at::Tensor mlp_input;    // LN2(m)
  at::Tensor mlp_hidden;   // (B, T, I) act(gate)·up: the down projection's input
  at::Tensor mlp_output;   // MLP(LN2(m))
  at::Tensor output;       // m + MLP(LN2(m)) (= m when the MLP is dropped)
};

class HiddenStateObserver {
 public:
  virtual ~HiddenStateObserver() = default;
  virtual void on_layer(const LayerTrace& trace) = 0;
};

}  // namespace llmdrop
