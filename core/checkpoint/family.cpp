#include "checkpoint/family.h"

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "checkpoint/model_config.h"
#include "util/error.h"
#include "util/input.h"

namespace llmdrop {

namespace {
std::string layer_prefix(int64_t layer) {
  return "model.layers." + std::to_string(layer) + ".";
}

bool flag(const nlohmann::json& raw, const char* key) {
  const auto* v = json_find(raw, key);
  return v && json_bool(*v, std::string("config.json: field '") + key + "'");
}

// An optional non-negative integer field; BadInput when present with another type or sign.
std::optional<int64_t> count_field(const nlohmann::json& raw, const char* key) {
  const auto* v = json_find(raw, key);
  if (!v) return std::nullopt;
  return json_int(*v, std::string("config.json: field '") + key + "'", 0);
}

class LlamaFamily : public ModelFamily {
 public:
  std::string name() const override { return "llama"; }
  void read_hparams(const nlohmann::json& raw, ModelConfig& config) const override {
    config.qkv_bias = config.o_bias = flag(raw, "attention_bias");
    config.mlp_bias = flag(raw, "mlp_bias");
  }
};

class MistralFamily : public ModelFamily {
 public:
  std::string name() const override { return "mistral"; }
  void read_hparams(const nlohmann::json& raw, ModelConfig& config) const override {
    // Every layer attends to at most `sliding_window` previous positions (itself included).
    if (const auto window = count_field(raw, "sliding_window"); window && *window > 0)
      config.sliding_window.assign(config.num_layers, *window);
  }
};

class Qwen2Family : public ModelFamily {
 public:
  std::string name() const override { return "qwen2"; }
  void read_hparams(const nlohmann::json& raw, ModelConfig& config) const override {
    config.qkv_bias = true;  // q/k/v projections always carry a bias; o_proj never does
    // Sliding window only when enabled, and then for the layers from max_window_layers on.
    const auto window = count_field(raw, "sliding_window");
    if (flag(raw, "use_sliding_window") && window && *window > 0) {
      const int64_t first = std::min(count_field(raw, "max_window_layers").value_or(0), config.num_layers);
      for (int64_t i = first; i < config.num_layers; ++i) config.sliding_window[i] = *window;
    }
  }
};

const std::vector<std::unique_ptr<ModelFamily>>& registry() {
  static const auto families = [] {
    std::vector<std::unique_ptr<ModelFamily>> v;
    v.push_back(std::make_unique<LlamaFamily>());
    v.push_back(std::make_unique<MistralFamily>());
    v.push_back(std::make_unique<Qwen2Family>());
    return v;
  }();
  return families;
}
}  // namespace

std::string ModelFamily::attn_norm(int64_t layer) const {
  return layer_prefix(layer) + "input_layernorm.weight";
}
std::string ModelFamily::mlp_norm(int64_t layer) const {
  return layer_prefix(layer) + "post_attention_layernorm.weight";
}
AttentionTensorNames ModelFamily::attention(int64_t layer) const {
  const std::string p = layer_prefix(layer) + "self_attn.";
  return {p + "q_proj.weight", p + "k_proj.weight", p + "v_proj.weight", p + "o_proj.weight",
          p + "q_proj.bias",   p + "k_proj.bias",   p + "v_proj.bias",   p + "o_proj.bias"};
}
MlpTensorNames ModelFamily::mlp(int64_t layer) const {
  const std::string p = layer_prefix(layer) + "mlp.";
  return {p + "gate_proj.weight", p + "up_proj.weight", p + "down_proj.weight"};
}

const ModelFamily& family_for(const std::string& model_type) {
  for (const auto& family : registry())
    if (family->name() == model_type) return *family;
  std::string names;
  for (const auto& n : supported_families()) names += (names.empty() ? "" : ", ") + n;
  throw_bad_input("unsupported model_type '" + model_type + "' (supported: " + names + ")");
}

std::vector<std::string> supported_families() {
  std::vector<std::string> out;
  for (const auto& family : registry()) out.push_back(family->name());
  return out;
}

}  // namespace llmdrop
