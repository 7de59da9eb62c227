#include "checkpoint/model_config.h"

#include <fstream>

#include "model/family.h"
#include "util/error.h"

namespace llmdrop {
namespace fs = std::filesystem;

namespace {

class Fields {
 public:
  Fields(const nlohmann::json& j, std::string where) : j_(j), where_(std::move(where)) {}

  bool has(const char* key) const { return j_.contains(key) && !j_[key].is_null(); }
  int64_t integer(const char* key) const {
    if (!has(key)) fail(key, "is missing");
    if (!j_[key].is_number_integer()) fail(key, "must be an integer");
    int64_t v = j_[key].get<int64_t>();
    if (v <= 0) fail(key, "must be positive");
    return v;
  }
  int64_t integer(const char* key, int64_t fallback) const { return has(key) ? integer(key) : fallback; }
  double number(const char* key, double fallback) const {
    if (!has(key)) return fallback;
    if (!j_[key].is_number()) fail(key, "must be a number");
    return j_[key].get<double>();
  }
  bool boolean(const char* key, bool fallback) const {
    if (!has(key)) return fallback;
    if (!j_[key].is_boolean()) fail(key, "must be true or false");
    return j_[key].get<bool>();
  }
  std::string string(const char* key, const std::string& fallback) const {
    if (!has(key)) return fallback;
    if (!j_[key].is_string()) fail(key, "must be a string");
    return j_[key].get<std::string>();
  }
  [[noreturn]] void fail(const char* key, const std::string& problem) const {
    throw_bad_input(where_ + ": field '" + key + "' " + problem);
  }

 private:
  const nlohmann::json& j_;
  std::string where_;
};

std::vector<int64_t> token_ids(const nlohmann::json& value) {
  std::vector<int64_t> out;
  if (value.is_number_integer()) out.push_back(value.get<int64_t>());
  if (value.is_array())
    for (const auto& v : value)
      if (v.is_number_integer()) out.push_back(v.get<int64_t>());
  return out;
}

RopeConfig parse_rope(const nlohmann::json& config, const std::string& where) {
  // transformers 5: rope_parameters {rope_theta, rope_type, ...}; 4.x: rope_theta + rope_scaling
  // {rope_type|type, ...}
  RopeConfig rope;
  nlohmann::json params = nlohmann::json::object();
  if (config.contains("rope_parameters") && config["rope_parameters"].is_object()) {
    params = config["rope_parameters"];
  } else if (config.contains("rope_scaling") && config["rope_scaling"].is_object()) {
    params = config["rope_scaling"];
  }
  Fields top(config, where);
  Fields p(params, where + " (rope parameters)");
  rope.theta = p.number("rope_theta", top.number("rope_theta", 10000.0));
  rope.type = p.string("rope_type", p.string("type", "default"));
  if (rope.type == "default") return rope;
  if (rope.type == "linear") {
    rope.factor = p.number("factor", 1.0);
  } else if (rope.type == "llama3") {
    rope.factor = p.number("factor", 8.0);
    rope.low_freq_factor = p.number("low_freq_factor", 1.0);
    rope.high_freq_factor = p.number("high_freq_factor", 4.0);
    rope.original_max_position = p.integer("original_max_position_embeddings", 8192);
    if (rope.high_freq_factor <= rope.low_freq_factor)
      p.fail("high_freq_factor", "must be larger than low_freq_factor");
  } else {
    throw_bad_input(where + ": rope type '" + rope.type +
                    "' is not supported (default, linear and llama3 are)");
  }
  if (rope.factor <= 0) p.fail("factor", "must be positive");
  return rope;
}

}  // namespace

ModelConfig parse_model_config(const nlohmann::json& config, const std::string& where) {
  if (!config.is_object()) throw_bad_input(where + " does not hold a JSON object");
  Fields f(config, where);
  ModelConfig cfg;
  if (!f.has("model_type")) f.fail("model_type", "is missing");
  cfg.model_type = f.string("model_type", "");
  const ModelFamily& family = family_for(cfg.model_type);  // throws for unsupported types

  cfg.vocab_size = f.integer("vocab_size");
  cfg.hidden_size = f.integer("hidden_size");
  cfg.intermediate_size = f.integer("intermediate_size");
  cfg.num_layers = f.integer("num_hidden_layers");
  cfg.num_heads = f.integer("num_attention_heads");
  cfg.num_kv_heads = f.integer("num_key_value_heads", cfg.num_heads);
  cfg.head_dim = f.integer("head_dim", cfg.hidden_size / cfg.num_heads);
  if (cfg.num_heads % cfg.num_kv_heads != 0) f.fail("num_key_value_heads", "must divide num_attention_heads");
  if (!f.has("head_dim") && cfg.hidden_size % cfg.num_heads != 0)
    f.fail("hidden_size", "must be a multiple of num_attention_heads");
  if (cfg.head_dim % 2 != 0) f.fail("head_dim", "must be even for rotary embeddings");
  cfg.max_position_embeddings = f.integer("max_position_embeddings", 4096);
  cfg.rms_norm_eps = f.number("rms_norm_eps", 1e-6);
  cfg.tie_word_embeddings = f.boolean("tie_word_embeddings", false);
  const std::string act = f.string("hidden_act", "silu");
  if (act != "silu" && act != "swish") f.fail("hidden_act", "'" + act + "' is not supported (silu is)");
  cfg.rope = parse_rope(config, where);
  cfg.dtype = f.string("dtype", f.string("torch_dtype", ""));

  // Per-layer attention type (transformers 5 writes layer_types; families refine the default below).
  cfg.sliding_window.assign(cfg.num_layers, 0);
  family.read_hparams(config, cfg);
  if (f.has("layer_types") && f.has("sliding_window")) {
    const auto& types = config["layer_types"];
    if (!types.is_array() || static_cast<int64_t>(types.size()) != cfg.num_layers)
      f.fail("layer_types", "must list one attention type per layer");
    const int64_t window = f.integer("sliding_window");
    for (int64_t i = 0; i < cfg.num_layers; ++i)
      cfg.sliding_window[i] = types[i] == "sliding_attention" ? window : 0;
  }

  if (config.contains("bos_token_id")) {
    auto ids = token_ids(config["bos_token_id"]);
    if (!ids.empty()) cfg.bos_token_id = ids.front();
  }
  if (config.contains("eos_token_id")) cfg.eos_token_ids = token_ids(config["eos_token_id"]);

  if (config.contains("quantization_config"))
    cfg.quantization = parse_quantization_config(config["quantization_config"], where);
  cfg.drops.attn = DropPlan::parse_list(config.value("drop_attn_list", nlohmann::json()), "drop_attn_list",
                                        cfg.num_layers);
  cfg.drops.mlp =
      DropPlan::parse_list(config.value("drop_mlp_list", nlohmann::json()), "drop_mlp_list", cfg.num_layers);
  return cfg;
}

namespace {
nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw_bad_input("cannot read " + path.string());
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw_bad_input(path.string() + " is not valid JSON (" + e.what() + ")");
  }
}
}  // namespace

ModelConfig read_model_config(const fs::path& model_dir) {
  const fs::path config_path = model_dir / "config.json";
  if (!fs::exists(config_path)) throw_bad_input("no config.json in " + model_dir.string());
  ModelConfig cfg = parse_model_config(read_json(config_path), config_path.string());
  // generation_config.json, when present, holds the ids generation uses.
  const fs::path gen_path = model_dir / "generation_config.json";
  if (fs::exists(gen_path)) {
    const nlohmann::json gen = read_json(gen_path);
    if (gen.is_object()) {
      if (gen.contains("bos_token_id")) {
        auto ids = token_ids(gen["bos_token_id"]);
        if (!ids.empty()) cfg.bos_token_id = ids.front();
      }
      if (gen.contains("eos_token_id")) {
        auto ids = token_ids(gen["eos_token_id"]);
        if (!ids.empty()) cfg.eos_token_ids = ids;
      }
    }
  }
  return cfg;
}

}  // namespace llmdrop
