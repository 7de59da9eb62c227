#include "checkpoint/model_config.h"

#include <cmath>
#include <sstream>

#include "checkpoint/family.h"
#include "util/error.h"
#include "util/input.h"

namespace llmdrop {
namespace fs = std::filesystem;

namespace {

// config.json's fields, typed and bounded: a value no model has (1e9 layers, a negative epsilon) is refused
// before anything is allocated for it.
class Fields {
 public:
  Fields(const nlohmann::json& j, std::string where) : j_(j), where_(std::move(where)) {}

  bool has(const char* key) const { return json_find(j_, key) != nullptr; }
  int64_t integer(const char* key, int64_t max) const {
    if (!has(key)) fail(key, "is missing");
    return json_int(j_.at(key), what(key), 1, max);
  }
  int64_t integer(const char* key, int64_t fallback, int64_t max) const {
    return has(key) ? integer(key, max) : fallback;
  }
  // A finite number in (min, max]; `min` itself is excluded so that 0 can mean "positive".
  double number(const char* key, double fallback, double min, double max) const {
    if (!has(key)) return fallback;
    const double v = json_number(j_.at(key), what(key));
    if (!(v > min && v <= max))
      fail(key,
           "must be above " + format(min) + " and at most " + format(max) + ", not " + j_.at(key).dump());
    return v;
  }
  bool boolean(const char* key, bool fallback) const {
    return has(key) ? json_bool(j_.at(key), what(key)) : fallback;
  }
  std::string string(const char* key, const std::string& fallback) const {
    return has(key) ? json_string(j_.at(key), what(key)) : fallback;
  }
  [[noreturn]] void fail(const char* key, const std::string& problem) const {
    throw_bad_input(where_ + ": field '" + key + "' " + problem);
  }

 private:
  std::string what(const char* key) const { return where_ + ": field '" + key + "'"; }
  static std::string format(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
  }
  const nlohmann::json& j_;
  std::string where_;
};

// Bounds far above any published model, low enough that sizes computed from them cannot overflow.
constexpr int64_t kMaxLayers = 1 << 14, kMaxWidth = 1 << 20, kMaxVocab = 1 << 24, kMaxHeads = 1 << 14,
                  kMaxPositions = int64_t(1) << 30;

// A token id or a list of them (null: none); each must lie in the vocabulary.
std::vector<int64_t> token_ids(const nlohmann::json& value, const std::string& what, int64_t vocab_size) {
  if (value.is_null()) return {};
  if (value.is_array()) return json_int_list(value, what, 0, vocab_size - 1);
  return {json_int(value, what, 0, vocab_size - 1)};
}

RopeConfig parse_rope(const nlohmann::json& config, const std::string& where, int64_t rotary_dim,
                      int64_t max_positions) {
  // transformers 5: rope_parameters {rope_theta, rope_type, ...}; 4.x: rope_theta + rope_scaling
  // {rope_type|type, ...}
  RopeConfig rope;
  nlohmann::json params = nlohmann::json::object();
  if (const auto* p = json_find(config, "rope_parameters"); p && p->is_object()) {
    params = *p;
  } else if (const auto* p = json_find(config, "rope_scaling"); p && p->is_object()) {
    params = *p;
  }
  Fields top(config, where);
  Fields p(params, where + " (rope parameters)");
  rope.theta = p.number("rope_theta", top.number("rope_theta", 10000.0, 0.0, 1e15), 0.0, 1e15);
  rope.type = p.string("rope_type", p.string("type", "default"));
  if (rope.type == "su") rope.type = "longrope";  // Phi-3's first name for it
  if (rope.type == "default") return rope;
  if (rope.type == "linear") {
    rope.factor = p.number("factor", 1.0, 0.0, 1e6);
  } else if (rope.type == "llama3") {
    rope.factor = p.number("factor", 8.0, 0.0, 1e6);
    rope.low_freq_factor = p.number("low_freq_factor", 1.0, 0.0, 1e6);
    rope.high_freq_factor = p.number("high_freq_factor", 4.0, 0.0, 1e6);
    rope.original_max_position = p.integer("original_max_position_embeddings", 8192, kMaxPositions);
    if (rope.high_freq_factor <= rope.low_freq_factor)
      p.fail("high_freq_factor", "must be larger than low_freq_factor");
  } else if (rope.type == "longrope") {
    // transformers: the pretrained context from original_max_position_embeddings (top level or with the rope
    // parameters); factor = max_position_embeddings / it unless given; the attention factor from the paper.
    rope.original_max_position = p.integer(
        "original_max_position_embeddings",
        top.integer("original_max_position_embeddings", max_positions, kMaxPositions), kMaxPositions);
    if (rope.original_max_position < 2)
      p.fail("original_max_position_embeddings", "must be at least 2 for longrope");
    rope.factor = p.number("factor", double(max_positions) / double(rope.original_max_position), 0.0, 1e6);
    const double natural =
        rope.factor <= 1.0
            ? 1.0
            : std::sqrt(1.0 + std::log(rope.factor) / std::log(double(rope.original_max_position)));
    rope.attention_factor = p.number("attention_factor", natural, 0.0, 1e6);
    for (const char* key : {"short_factor", "long_factor"}) {
      if (!p.has(key)) p.fail(key, "is missing (longrope needs it)");
      auto& factors = std::string(key) == "short_factor" ? rope.short_factor : rope.long_factor;
      factors = json_number_list(params.at(key), where + " (rope parameters): field '" + key + "'");
      if (static_cast<int64_t>(factors.size()) != rotary_dim / 2)
        p.fail(key, "must list " + std::to_string(rotary_dim / 2) +
                        " numbers (one per rotary frequency), not " + std::to_string(factors.size()));
      for (double f : factors)
        if (!(f > 0 && std::isfinite(f))) p.fail(key, "must hold positive numbers");
    }
    return rope;  // its factor is a context ratio and may be below 1
  } else {
    throw_bad_input(where + ": rope type '" + rope.type +
                    "' is not supported (default, linear, llama3 and longrope are)");
  }
  // transformers' rope validation asks for factor >= 1; below it positions are stretched, and a tiny factor
  // makes the rotation angles overflow into NaN.
  if (rope.factor < 1) p.fail("factor", "must be at least 1 (as transformers' rope validation asks)");
  return rope;
}

// bos_token_id / eos_token_id of config.json or generation_config.json (`where`), when present.
void read_token_ids(const nlohmann::json& j, const std::string& where, ModelConfig& cfg) {
  if (const auto* bos = json_find(j, "bos_token_id")) {
    const auto ids = token_ids(*bos, where + ": field 'bos_token_id'", cfg.vocab_size);
    if (!ids.empty()) cfg.bos_token_id = ids.front();
  }
  if (const auto* eos = json_find(j, "eos_token_id")) {
    const auto ids = token_ids(*eos, where + ": field 'eos_token_id'", cfg.vocab_size);
    if (!ids.empty()) cfg.eos_token_ids = ids;
  }
}

}  // namespace

ModelConfig parse_model_config(const nlohmann::json& config, const std::string& where) {
  if (!config.is_object()) throw_bad_input(where + " does not hold a JSON object");
  Fields f(config, where);
  ModelConfig cfg;
  if (!f.has("model_type")) f.fail("model_type", "is missing");
  cfg.model_type = f.string("model_type", "");
  const ModelFamily& family = family_for(cfg.model_type);  // throws for unsupported types

  cfg.vocab_size = f.integer("vocab_size", kMaxVocab);
  cfg.hidden_size = f.integer("hidden_size", kMaxWidth);
  cfg.intermediate_size = f.integer("intermediate_size", kMaxWidth);
  cfg.num_layers = f.integer("num_hidden_layers", kMaxLayers);
  cfg.num_heads = f.integer("num_attention_heads", kMaxHeads);
  cfg.num_kv_heads = f.integer("num_key_value_heads", cfg.num_heads, kMaxHeads);
  cfg.head_dim = f.integer("head_dim", cfg.hidden_size / cfg.num_heads, kMaxWidth);
  if (cfg.head_dim < 2) f.fail("head_dim", "must be at least 2");
  if (cfg.num_heads % cfg.num_kv_heads != 0) f.fail("num_key_value_heads", "must divide num_attention_heads");
  if (!f.has("head_dim") && cfg.hidden_size % cfg.num_heads != 0)
    f.fail("hidden_size", "must be a multiple of num_attention_heads");
  if (cfg.head_dim % 2 != 0) f.fail("head_dim", "must be even for rotary embeddings");
  cfg.max_position_embeddings = f.integer("max_position_embeddings", 4096, kMaxPositions);
  cfg.rms_norm_eps = f.number("rms_norm_eps", 1e-6, 0.0, 1.0);
  cfg.tie_word_embeddings = f.boolean("tie_word_embeddings", false);
  // Gemma writes hidden_activation (and an older hidden_act beside it); the others hidden_act.
  const char* act_key = f.has("hidden_activation") ? "hidden_activation" : "hidden_act";
  cfg.arch.activation = f.string(act_key, "silu");
  if (cfg.arch.activation == "swish") cfg.arch.activation = "silu";
  if (cfg.arch.activation != "silu" && cfg.arch.activation != "gelu_pytorch_tanh")
    f.fail(act_key, "'" + cfg.arch.activation + "' is not supported (silu and gelu_pytorch_tanh are)");
  // partial_rotary_factor: top level (4.x) or with the rope parameters (5.x).
  const nlohmann::json* rope_params = json_find(config, "rope_parameters");
  const double partial =
      rope_params && rope_params->is_object() && json_find(*rope_params, "partial_rotary_factor")
          ? Fields(*rope_params, where + " (rope parameters)").number("partial_rotary_factor", 1.0, 0.0, 1.0)
          : f.number("partial_rotary_factor", 1.0, 0.0, 1.0);
  cfg.rotary_dim = static_cast<int64_t>(double(cfg.head_dim) * partial);
  if (cfg.rotary_dim < 2 || cfg.rotary_dim % 2 != 0)
    f.fail("partial_rotary_factor", "must leave an even number of rotary dims per head");
  cfg.rope = parse_rope(config, where, cfg.rotary_dim, cfg.max_position_embeddings);
  cfg.rope.partial_rotary_factor = partial;
  cfg.dtype = f.string("dtype", f.string("torch_dtype", ""));

  // Per-layer attention type (transformers 5 writes layer_types; families refine the default below).
  cfg.sliding_window.assign(cfg.num_layers, 0);
  family.read_hparams(config, cfg);
  if (f.has("layer_types") && f.has("sliding_window")) {
    const auto types = json_string_list(config.at("layer_types"), where + ": field 'layer_types'");
    if (static_cast<int64_t>(types.size()) != cfg.num_layers)
      f.fail("layer_types", "must list one attention type per layer");
    const int64_t window = f.integer("sliding_window", kMaxPositions);
    for (int64_t i = 0; i < cfg.num_layers; ++i)
      cfg.sliding_window[i] = types[i] == "sliding_attention" ? window : 0;
  }

  read_token_ids(config, where, cfg);
  if (const auto* q = json_find(config, "quantization_config"))
    cfg.quantization = parse_quantization_config(*q, where);
  cfg.drops = drop_lists_from_json(config, cfg.num_layers, where);
  return cfg;
}

ModelConfig read_model_config(const fs::path& model_dir) {
  const fs::path config_path = model_dir / "config.json";
  if (!fs::exists(config_path)) throw_bad_input("no config.json in " + model_dir.string());
  ModelConfig cfg = parse_model_config(read_json_file(config_path), config_path.string());
  // GPTQModel's rules apply in the file's order, which nlohmann::json's objects do not keep.
  if (cfg.quantization && !cfg.quantization->dynamic.empty()) {
    const auto ordered = nlohmann::ordered_json::parse(read_file(config_path, kMaxMetadataBytes));
    cfg.quantization->dynamic = parse_quant_rules(ordered.at("quantization_config").at("dynamic"),
                                                  config_path.string() + ": quantization_config.dynamic");
  }
  // generation_config.json, when present, holds the ids generation uses.
  const fs::path gen_path = model_dir / "generation_config.json";
  std::error_code ec;
  if (fs::exists(gen_path, ec)) {
    const nlohmann::json gen = read_json_file(gen_path);
    if (!gen.is_object()) throw_bad_input(gen_path.string() + " does not hold a JSON object");
    read_token_ids(gen, gen_path.string(), cfg);
  }
  return cfg;
}

}  // namespace llmdrop
