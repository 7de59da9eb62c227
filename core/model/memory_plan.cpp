#include "model/memory_plan.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "checkpoint/model_config.h"
#include "model/device.h"
#include "util/error.h"

namespace llmdrop {

std::string gigabytes(int64_t bytes) {
  char text[32];
  if (bytes >= 1'000'000'000)
    std::snprintf(text, sizeof text, "%.1f GB", static_cast<double>(bytes) / 1e9);
  else
    std::snprintf(text, sizeof text, "%.0f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

MemoryPlan memory_plan(const ModelConfig& c, c10::ScalarType dtype, const DropPlan& drops, bool streamed) {
  const double element = static_cast<double>(c10::elementSize(dtype));
  // A packed linear holds bits/8 bytes per weight (its scales and zeros are a few percent more).
  const double linear = c.quantization ? c.quantization->bits / 8.0 : element;
  const int64_t hidden = c.hidden_size, q = c.num_heads * c.head_dim, kv = c.num_kv_heads * c.head_dim;
  const double attention = linear * double(hidden) * double(2 * q + 2 * kv) +
                           element * double(hidden + (c.arch.qk_norm ? 2 * c.head_dim : 0));
  const double mlp = linear * 3.0 * double(hidden) * double(c.intermediate_size) + element * double(hidden);
  MemoryPlan plan;
  plan.streamed = streamed;
  plan.embedding = static_cast<int64_t>(element * double(c.vocab_size) * double(hidden));
  plan.final_norm = static_cast<int64_t>(element * double(hidden));
  plan.fixed = plan.embedding * (c.tie_word_embeddings ? 1 : 2) + plan.final_norm;
  for (int64_t i = 0; i < c.num_layers; ++i) {
    const auto layer =
        static_cast<int64_t>((drops.attn_dropped(i) ? 0 : attention) + (drops.mlp_dropped(i) ? 0 : mlp));
    plan.largest_layer = std::max(plan.largest_layer, layer);
    plan.layers += layer;
    plan.layer_bytes.push_back(layer);
  }
  return plan;
}

LayerPlacement place_layers(const MemoryPlan& plan, int devices) {
  // What goes where in order: the embeddings, then each layer, the head and final norm with the last one.
  std::vector<int64_t> items{plan.embedding};
  items.insert(items.end(), plan.layer_bytes.begin(), plan.layer_bytes.end());
  items.back() += plan.embedding + plan.final_norm;
  // Filling each device up to `most` before the next: the fewest devices any contiguous split with at most
  // `most` per device needs. Its index per item, or empty when `devices` do not suffice.
  auto fill = [&](int64_t most) {
    std::vector<int> device_of;
    int device = 0;
    int64_t held = 0;
    for (const int64_t bytes : items) {
      if (held + bytes > most && held > 0) ++device, held = 0;
      if (device == devices || bytes > most) return std::vector<int>{};
      held += bytes;
      device_of.push_back(device);
    }
    return device_of;
  };
  int64_t low = *std::max_element(items.begin(), items.end()), high = 0;
  for (const int64_t bytes : items) high += bytes;
  while (low < high) {  // the least `most` that fits: a binary search over bytes
    const int64_t mid = low + (high - low) / 2;
    if (fill(mid).empty())
      low = mid + 1;
    else
      high = mid;
  }
  const std::vector<int> device_of = fill(low);
  LayerPlacement placement;
  placement.device_of_layer.assign(device_of.begin() + 1, device_of.end());
  placement.bytes.assign(static_cast<size_t>(devices), 0);
  for (size_t i = 0; i < items.size(); ++i) placement.bytes[static_cast<size_t>(device_of[i])] += items[i];
  return placement;
}

void check_placement(const LayerPlacement& placement, const std::vector<c10::Device>& devices,
                     const std::function<int64_t(c10::Device)>& available) {
  std::map<std::string, int64_t> needs;
  for (size_t d = 0; d < devices.size(); ++d) needs[devices[d].str()] += placement.bytes[d];
  for (const auto& [name, bytes] : needs) {
    const int64_t free = available(c10::Device(name));
    if (!fits(MemoryPlan{.fixed = bytes}, free))
      throw_bad_input("placed over " + device_list(devices) + ", the model needs " + gigabytes(bytes) +
                      " of weights on " + name + ", which has " + gigabytes(free) +
                      " free: add a device, use --stream-layers or drop more modules");
  }
}

bool fits(const MemoryPlan& plan, int64_t available) {
  return plan.bytes() <= available - available / 10;
}

void check_memory(const MemoryPlan& plan, c10::Device device, int64_t available, int gpus) {
  if (fits(plan, available)) return;
  const std::string needs = gigabytes(plan.bytes()) + " of weights on " + device.str() + ", which has " +
                            gigabytes(available) + " free";
  if (plan.streamed) throw_bad_input("even streaming its layers, the model needs " + needs);
  MemoryPlan streamed = plan;
  streamed.streamed = true;
  std::vector<std::string> ways;
  if (fits(streamed, available))
    ways.push_back("--stream-layers (two layers at a time: " + gigabytes(streamed.bytes()) + ")");
  // The fewest GPUs that hold the layers split between them (each as free as this one).
  for (int ranks = 2; device.is_cuda() && ranks <= gpus; ++ranks) {
    const MemoryPlan share = plan.split(ranks);
    if (!fits(share, available)) continue;
    std::string devices;
    for (int g = 0; g < ranks; ++g) devices += (g ? ",cuda:" : "cuda:") + std::to_string(g);
    ways.push_back("--devices " + devices + " --parallel tensor (" + gigabytes(share.bytes()) + " each)");
    break;
  }
  if (ways.empty())
    throw_bad_input("the model needs " + needs + ": use a smaller dtype or drop more modules");
  throw_bad_input("the model needs " + needs + ": use " + ways[0] +
                  (ways.size() > 1 ? " or " + ways[1] : ""));
}

}  // namespace llmdrop
