#pragma once
// What a model will hold on its device, checked before anything is loaded: a load that cannot fit is refused
// with one line that says what would fit, instead of failing halfway (or the system killing the process).
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "checkpoint/drop_plan.h"

namespace llmdrop {

struct ModelConfig;

struct MemoryPlan {
  int64_t fixed = 0;          // embeddings, head and final norm
  int64_t layers = 0;         // every kept module
  int64_t largest_layer = 0;  // the most one streamed layer holds while it runs
  int64_t embedding = 0;      // one (V, hidden) matrix
  int64_t final_norm = 0;
  std::vector<int64_t> layer_bytes;  // per layer, its kept modules
  bool streamed = false;
  // Streamed: the layer running and the next one arriving.
  int64_t bytes() const { return fixed + (streamed ? 2 * largest_layer : layers); }
  // One of `ranks` tensor-parallel ranks' share: its part of every layer (the layers' norms, whole on every
  // rank, are negligible), the embeddings and head whole.
  MemoryPlan split(int64_t ranks) const {
    MemoryPlan share = *this;
    share.layers /= ranks;
    share.largest_layer /= ranks;
    return share;
  }
};

// "138.0 GB", or "36 MB" below a gigabyte.
std::string gigabytes(int64_t bytes);

// Weight bytes of a model of `config` in `dtype` with `drops` (linears of a quantized checkpoint at its
// bits).
MemoryPlan memory_plan(const ModelConfig& config, c10::ScalarType dtype, const DropPlan& drops,
                       bool streamed);

// Contiguous layer ranges over `devices` devices holding as little as possible on the fullest one (the
// embeddings count on the first device, the head and final norm with the last layer; a head tied to the
// embeddings is a copy there).
struct LayerPlacement {
  std::vector<int> device_of_layer;  // an index into the devices, per layer; never decreasing
  std::vector<int64_t> bytes;        // what each device holds
};
LayerPlacement place_layers(const MemoryPlan& plan, int devices);
// BadInput when a device cannot hold what `placement` puts on it (with a tenth kept for activations; a device
// named twice holds both shares); available(device) gives its free bytes.
void check_placement(const LayerPlacement& placement, const std::vector<c10::Device>& devices,
                     const std::function<int64_t(c10::Device)>& available);

// Whether `plan` fits in `available` bytes with a tenth to spare (activations, the allocator).
bool fits(const MemoryPlan& plan, int64_t available);
// BadInput when `plan` needs more than `available` bytes (with a tenth kept for activations), naming what
// would fit, e.g. "needs 138.0 GB of weights on cuda:0, which has 79.3 GB free: use --stream-layers (one
// layer at a time: 3.2 GB) or --devices cuda:0,cuda:1 --parallel tensor (69.5 GB each)" on a machine with
// `gpus` GPUs.
void check_memory(const MemoryPlan& plan, c10::Device device, int64_t available, int gpus = 1);

}  // namespace llmdrop
