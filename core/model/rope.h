#pragma once
// Rotary position embeddings, computed as transformers does (float32 inverse frequencies, cos/sin cast to
// the activations' dtype).
#include <ATen/core/Tensor.h>

namespace llmdrop {

struct RopeConfig;

// (rotary_dim/2) float32 inverse frequencies, with linear, llama3 or longrope's short scaling applied.
at::Tensor rope_inverse_frequencies(const RopeConfig& rope, int64_t rotary_dim, c10::Device device);
// The tables apply_rope takes: cos, and sin with its first half negated (so rotate_half's sign is folded in).
struct RopeTables {
  at::Tensor cos, signed_sin;  // (…, rotary_dim)
};

// A model's rotary frequencies: one set, or LongRoPE's two. As transformers does, a forward call uses the
// long set once the sequence it covers is longer than original_max_position, and then for all of its tokens.
class RotaryEmbedding {
 public:
  RotaryEmbedding() = default;
  RotaryEmbedding(const RopeConfig& rope, int64_t rotary_dim, c10::Device device);
  // (T, rotary_dim) tables for positions [start, start+T) of one call.
  RopeTables tables(int64_t start, int64_t length, c10::ScalarType dtype) const;
  // (…, rotary_dim) tables for integer positions of any shape (…), of one call.
  RopeTables tables(const at::Tensor& positions, c10::ScalarType dtype) const;
  // (capacity, rotary_dim) tables of a cache: row p as the call that ends at position p sees it.
  RopeTables cache_tables(int64_t capacity, c10::ScalarType dtype) const;

 private:
  const at::Tensor& frequencies_for(int64_t length) const;
  at::Tensor inv_freq_;       // (rotary_dim/2) float32
  at::Tensor long_inv_freq_;  // LongRoPE only
  int64_t original_max_position_ = 0;
  double attention_factor_ = 1.0;  // cos and sin are scaled by it (LongRoPE)
};
// (T, rotary_dim) tables for positions [start, start+T), cos and sin scaled by `scale`.
RopeTables rope_tables(const at::Tensor& inv_freq, int64_t start, int64_t length, c10::ScalarType dtype,
                       double scale = 1.0);
// (…, rotary_dim) tables for integer positions of any shape (…).
RopeTables rope_tables(const at::Tensor& inv_freq, const at::Tensor& positions, c10::ScalarType dtype,
                       double scale = 1.0);
// x: (…, head_dim), tables broadcastable to (…, rotary_dim) → x·cos + rotate_half(x)·sin on the first
// rotary_dim dims, the rest passed through, as transformers computes it; in four kernels whatever the number
// of heads in x.
at::Tensor apply_rope(const at::Tensor& x, const RopeTables& rope);

}  // namespace llmdrop
