#pragma once
// Rotary position embeddings, computed as transformers does (float32 inverse frequencies, cos/sin cast to
// the activations' dtype).
#include <ATen/core/Tensor.h>

namespace llmdrop {

struct RopeConfig;

// (head_dim/2) float32 inverse frequencies, with linear or llama3 scaling applied.
at::Tensor rope_inverse_frequencies(const RopeConfig& rope, int64_t head_dim, c10::Device device);
// cos, sin: (T, head_dim) for positions [start, start+T).
std::pair<at::Tensor, at::Tensor> rope_cos_sin(const at::Tensor& inv_freq, int64_t start, int64_t length,
                                               c10::ScalarType dtype);
// cos, sin: (…, head_dim) for integer positions of any shape (…).
std::pair<at::Tensor, at::Tensor> rope_cos_sin(const at::Tensor& inv_freq, const at::Tensor& positions,
                                               c10::ScalarType dtype);
// x: (B, heads, T, head_dim) → x·cos + rotate_half(x)·sin
at::Tensor apply_rope(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin);

}  // namespace llmdrop
