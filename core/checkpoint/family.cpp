#include "checkpoint/family.h"

#include <algorithm>
#include <cmath>
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

// Attention: biases from `attention_bias` (q, k, v and o alike).
void read_attention_bias(const nlohmann::json& raw, ModelConfig& config) {
  config.qkv_bias = config.o_bias = flag(raw, "attention_bias");
}

// Sliding window only when enabled, and then for the layers from max_window_layers on (Qwen2, Qwen3).
void read_qwen_window(const nlohmann::json& raw, ModelConfig& config) {
  const auto window = count_field(raw, "sliding_window");
  if (flag(raw, "use_sliding_window") && window && *window > 0) {
    const int64_t first = std::min(count_field(raw, "max_window_layers").value_or(0), config.num_layers);
    for (int64_t i = first; i < config.num_layers; ++i) config.sliding_window[i] = *window;
  }
}

// Every layer attends to at most `sliding_window` previous positions (itself included): Mistral, Phi-3.
void read_uniform_window(const nlohmann::json& raw, ModelConfig& config) {
  if (const auto window = count_field(raw, "sliding_window"); window && *window > 0)
    config.sliding_window.assign(config.num_layers, *window);
}

// A positive number, or 0 when the field is null (Gemma 2's soft-caps may be switched off that way).
double optional_positive(const nlohmann::json& raw, const char* key, double fallback) {
  if (!raw.contains(key)) return fallback;
  if (raw.at(key).is_null()) return 0.0;
  const double v = json_number(raw.at(key), std::string("config.json: field '") + key + "'");
  if (!(v > 0)) throw_bad_input(std::string("config.json: field '") + key + "' must be positive or null");
  return v;
}

class LlamaFamily : public ModelFamily {
 public:
  std::string name() const override { return "llama"; }
  void read_hparams(const nlohmann::json& raw, ModelConfig& config) const override {
    read_attention_bias(raw, config);
    config.mlp_bias = flag(raw, "mlp_bias");
  }
};

class MistralFamily : public ModelFamily {
 public:
  std::string name() const override { return "mistral"; }
  void read_hparams(const nlohmann::json& raw, ModelConfig& config) const override {
    read_uniform_window(raw, config);
  }
};

class Qwen2Family : public ModelFamily {
 public:
  std::string name() const override { return "qwen2"; }
  void read_hparams(const nlohmann::json& raw, ModelConfig& config) const override {
    config.qkv_bias = true;  // q/k/v projections always carry a bias; o_proj never does
    read_qwen_window(raw, config);
  }
};

class Qwen3Family : public ModelFamily {
 public:
  std::string name() const override { return "qwen3"; }
  void read_hparams(const nlohmann::json& raw, ModelConfig& config) const override {
    read_attention_bias(raw, config);
    config.arch.qk_norm = true;
    read_qwen_window(raw, config);
  }
};

class Gemma2Family : public ModelFamily {
 public:
  std::string name() const override { return "gemma2"; }
  void read_hparams(const nlohmann::json& raw, ModelConfig& config) const override {
    read_attention_bias(raw, config);
    Architecture& a = config.arch;
    if (!raw.contains("hidden_activation") && !raw.contains("hidden_act")) a.activation = "gelu_pytorch_tanh";
    a.norm_plus_one = a.scale_embeddings = a.post_norms = true;
    const double scalar = optional_positive(raw, "query_pre_attn_scalar", 256.0);
    a.attention_scale = scalar > 0 ? 1.0 / std::sqrt(scalar) : 0.0;
    a.attn_logit_softcap = optional_positive(raw, "attn_logit_softcapping", 50.0);
    a.final_logit_softcap = optional_positive(raw, "final_logit_softcapping", 30.0);
    if (!raw.contains("tie_word_embeddings")) config.tie_word_embeddings = true;  // Gemma2Config's default
    // Without layer_types (transformers 4.x): even layers slide, odd ones attend to everything.
    if (const auto window = count_field(raw, "sliding_window"); window && *window > 0)
      for (int64_t i = 0; i < config.num_layers; i += 2) config.sliding_window[i] = *window;
  }
  AttentionTensorNames attention(const ModelConfig& config, int64_t layer) const override {
    AttentionTensorNames n = ModelFamily::attention(config, layer);
    n.post_norm = layer_prefix(layer) + "post_attention_layernorm.weight";
    return n;
  }
  MlpTensorNames mlp(const ModelConfig& config, int64_t layer) const override {
    MlpTensorNames n = ModelFamily::mlp(config, layer);
    n.pre_norm = layer_prefix(layer) + "pre_feedforward_layernorm.weight";
    n.post_norm = layer_prefix(layer) + "post_feedforward_layernorm.weight";
    return n;
  }
};

// Phi-3 stores q|k|v as one qkv_proj and gate|up as one gate_up_proj.
class Phi3Family : public ModelFamily {
 public:
  std::string name() const override { return "phi3"; }
  void read_hparams(const nlohmann::json& raw, ModelConfig& config) const override {
    read_uniform_window(raw, config);
  }
  AttentionTensorNames attention(const ModelConfig& config, int64_t layer) const override {
    AttentionTensorNames n = ModelFamily::attention(config, layer);
    int64_t rows = 0;
    for (const auto& part : n.qkv) rows += part.rows;
    const std::string p = layer_prefix(layer) + "self_attn.";
    n.qkv = {{p + "qkv_proj.weight", rows}};
    n.bias = {p + "qkv_proj.bias"};
    return n;
  }
  MlpTensorNames mlp(const ModelConfig& config, int64_t layer) const override {
    MlpTensorNames n = ModelFamily::mlp(config, layer);
    n.gate_up = {{layer_prefix(layer) + "mlp.gate_up_proj.weight", 2 * config.intermediate_size}};
    return n;
  }
};

const std::vector<std::unique_ptr<ModelFamily>>& registry() {
  static const auto families = [] {
    std::vector<std::unique_ptr<ModelFamily>> v;
    v.push_back(std::make_unique<LlamaFamily>());
    v.push_back(std::make_unique<MistralFamily>());
    v.push_back(std::make_unique<Qwen2Family>());
    v.push_back(std::make_unique<Qwen3Family>());
    v.push_back(std::make_unique<Gemma2Family>());
    v.push_back(std::make_unique<Phi3Family>());
    return v;
  }();
  return families;
}
}  // namespace

std::vector<std::string> AttentionTensorNames::all() const {
  std::vector<std::string> names = {pre_norm, post_norm, o, o_bias, q_norm, k_norm};
  for (const auto& part : qkv) names.push_back(part.weight);
  names.insert(names.end(), bias.begin(), bias.end());
  names.erase(std::remove(names.begin(), names.end(), std::string()), names.end());
  return names;
}

std::vector<std::string> MlpTensorNames::all() const {
  std::vector<std::string> names = {pre_norm, post_norm, down};
  for (const auto& part : gate_up) names.push_back(part.weight);
  names.erase(std::remove(names.begin(), names.end(), std::string()), names.end());
  return names;
}

AttentionTensorNames ModelFamily::attention(const ModelConfig& config, int64_t layer) const {
  const std::string p = layer_prefix(layer) + "self_attn.";
  const int64_t q_rows = config.num_heads * config.head_dim, kv_rows = config.num_kv_heads * config.head_dim;
  AttentionTensorNames n;
  n.pre_norm = layer_prefix(layer) + "input_layernorm.weight";
  n.qkv = {{p + "q_proj.weight", q_rows}, {p + "k_proj.weight", kv_rows}, {p + "v_proj.weight", kv_rows}};
  n.bias = {p + "q_proj.bias", p + "k_proj.bias", p + "v_proj.bias"};
  n.o = p + "o_proj.weight";
  n.o_bias = p + "o_proj.bias";
  if (config.arch.qk_norm) n.q_norm = p + "q_norm.weight", n.k_norm = p + "k_norm.weight";
  return n;
}

MlpTensorNames ModelFamily::mlp(const ModelConfig& config, int64_t layer) const {
  const std::string p = layer_prefix(layer) + "mlp.";
  MlpTensorNames n;
  n.pre_norm = layer_prefix(layer) + "post_attention_layernorm.weight";
  n.gate_up = {{p + "gate_proj.weight", config.intermediate_size},
               {p + "up_proj.weight", config.intermediate_size}};
  n.down = p + "down_proj.weight";
  return n;
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
