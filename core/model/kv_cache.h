#pragma once
// A static, preallocated key/value cache. Only layers whose attention runs own a slot; a dropped
// attention layer has none, so the cache shrinks with every dropped attention.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

#include "model/rope.h"

namespace llmdrop {

class KVCache {
 public:
  KVCache() = default;
  // keys/values: one entry per layer, undefined for layers without attention; each (B, KV, capacity, D).
  // rope: the model's (capacity, D) tables for positions [0, capacity).
  KVCache(std::vector<at::Tensor> keys, std::vector<at::Tensor> values, int64_t capacity, RopeTables rope);

  int64_t length() const { return length_; }  // positions already cached
  int64_t capacity() const { return capacity_; }
  // The RoPE tables of every position the cache holds, made once with it: a decode step reads its row rather
  // than computing it (about ten small kernels in every replay of a CUDA graph).
  const RopeTables& rope() const { return rope_; }
  bool has_layer(int64_t layer) const;
  // Writes (B, KV, T, D) at positions [length, length+T) and returns the cached (B, KV, length+T, D) views.
  std::pair<at::Tensor, at::Tensor> append(int64_t layer, const at::Tensor& k, const at::Tensor& v);
  // For a decode step of fixed shapes (CUDA graphs): writes (B, KV, 1, D) at the device scalar `position` and
  // returns the whole (B, KV, capacity, D) buffers; the caller masks positions after `position` and advances.
  std::pair<at::Tensor, at::Tensor> write_at(int64_t layer, const at::Tensor& k, const at::Tensor& v,
                                             const at::Tensor& position);
  // A layer's whole (B, KV, capacity, D) key and value buffers.
  std::pair<at::Tensor, at::Tensor> buffers(int64_t layer) const;
  void advance(int64_t n) { length_ += n; }
  void reset() { length_ = 0; }
  int64_t bytes() const;

 private:
  std::vector<at::Tensor> keys_, values_;
  int64_t capacity_ = 0;
  int64_t length_ = 0;
  RopeTables rope_;
};

}  // namespace llmdrop
