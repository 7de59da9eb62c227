#pragma once
// Decode steps that cost one graph launch: on a GPU the fixed-shape step (Model::decode_step) is captured
// once as a CUDA graph and replayed for every token; without graphs (asked for, or capture failed) that step
// runs eagerly, so tokens never depend on the choice. On the CPU each step is the plain cached forward. Each
// step also leaves its greedy next token and the next position on the device, so a greedy loop feeds the
// step nothing from the host.
#include <ATen/core/Tensor.h>

#include <memory>

namespace llmdrop {

class KVCache;
class Model;

class DecodeGraph {
 public:
  // `use_graph` false: eager steps (for comparisons).
  DecodeGraph(const Model& model, KVCache& cache, bool use_graph = true);
  ~DecodeGraph();
  DecodeGraph(const DecodeGraph&) = delete;
  DecodeGraph& operator=(const DecodeGraph&) = delete;

  // token: (B, 1) ids on the model's device, placed at the cache's current length; the cache advances by one.
  // Returns logits (B, 1, V), valid until the next step.
  at::Tensor step(const at::Tensor& token);
  // (B, 1): the argmax of the last step's logits, valid until the next step; passed back to step(), it is
  // not copied.
  const at::Tensor& greedy_token() const;
  bool uses_graph() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmdrop
