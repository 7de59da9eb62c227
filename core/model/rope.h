#pragma once
// Rotary position embeddings, computed as transformers does (float32 inverse frequencies, cos/sin cast to
// the activations' dtype).
#include <ATen/core/Tensor.h>

namespace llmdrop {

struct RopeConfig;

// (head_dim/2) float32 inverse frequencies, with linear or llama3 scaling applied.
at::Tensor rope_inverse_frequencies(const RopeConfig& rope, int64_t head_dim, c10::Device device);
// The tables apply_rope takes: cos, and sin with its first half negated (so rotate_half's sign is folded in).
struct RopeTables {
  at::Tensor cos, signed_sin;  // (…, head_dim)
};
// (T, head_dim) tables for positions [start, start+T).
RopeTables rope_tables(const at::Tensor& inv_freq, int64_t start, int64_t length, c10::ScalarType dtype);
// (…, head_dim) tables for integer positions of any shape (…).
RopeTables rope_tables(const at::Tensor& inv_freq, const at::Tensor& positions, c10::ScalarType dtype);
// x: (…, head_dim), tables broadcastable to it → x·cos + rotate_half(x)·sin, as transformers computes it,
// in four kernels whatever the number of heads in x.
at::Tensor apply_rope(const at::Tensor& x, const RopeTables& rope);

}  // namespace llmdrop
