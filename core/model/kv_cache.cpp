#include "model/kv_cache.h"

#include <ATen/ATen.h>

#include "util/error.h"

namespace llmdrop {

KVCache::KVCache(std::vector<at::Tensor> keys, std::vector<at::Tensor> values, int64_t capacity,
                 RopeTables rope)
    : keys_(std::move(keys)), values_(std::move(values)), capacity_(capacity), rope_(std::move(rope)) {}

bool KVCache::has_layer(int64_t layer) const {
  return layer >= 0 && layer < static_cast<int64_t>(keys_.size()) && keys_[layer].defined();
}

namespace {
[[noreturn]] void throw_missing_slot(int64_t layer) {
  throw_runtime("the KV cache has no slot for layer " + std::to_string(layer) +
                " (was it made before attention was re-enabled?)");
}
}  // namespace

std::pair<at::Tensor, at::Tensor> KVCache::buffers(int64_t layer) const {
  if (!has_layer(layer)) throw_missing_slot(layer);
  return {keys_[layer], values_[layer]};
}

std::pair<at::Tensor, at::Tensor> KVCache::write_at(int64_t layer, const at::Tensor& k, const at::Tensor& v,
                                                    const at::Tensor& position) {
  const auto [keys, values] = buffers(layer);
  keys.index_copy_(2, position, k);
  values.index_copy_(2, position, v);
  return {keys, values};
}

std::pair<at::Tensor, at::Tensor> KVCache::append(int64_t layer, const at::Tensor& k, const at::Tensor& v) {
  if (!has_layer(layer)) throw_missing_slot(layer);
  const int64_t t = k.size(2);
  if (length_ + t > capacity_)
    throw_runtime("KV cache full: " + std::to_string(length_ + t) + " positions needed, capacity " +
                  std::to_string(capacity_));
  keys_[layer].narrow(2, length_, t).copy_(k);
  values_[layer].narrow(2, length_, t).copy_(v);
  return {keys_[layer].narrow(2, 0, length_ + t), values_[layer].narrow(2, 0, length_ + t)};
}

int64_t KVCache::bytes() const {
  int64_t total = 0;
  for (size_t i = 0; i < keys_.size(); ++i)
    if (keys_[i].defined()) total += keys_[i].nbytes() + values_[i].nbytes();
  return total;
}

}  // namespace llmdrop
