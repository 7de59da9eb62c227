#include "checkpoint/summary.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <vector>

#include "checkpoint/family.h"

namespace llmdrop {

namespace {
// Parameters a stored tensor stands for: a GPTQ / AWQ packed linear's .qweight holds 32/bits weights per
// element, and its zeros, scales and g_idx are no parameters of the model.
int64_t parameters_of(const TensorStore& store, const std::string& name, const ModelConfig& cfg) {
  if (!store.contains(name)) return 0;
  const int64_t n = store.info(name).numel();
  if (!cfg.quantization) return n;
  auto ends = [&](const std::string& suffix) { return name.ends_with(suffix); };
  if (ends(".qweight"))
    return n * 32 /
           cfg.quantization->packed_as(name.substr(0, name.size() - std::string(".qweight").size())).bits;
  return ends(".qzeros") || ends(".scales") || ends(".g_idx") ? 0 : n;
}

// A module's weight, stored plainly or packed (NAME.weight → NAME.qweight).
int64_t weight_parameters(const TensorStore& store, const std::string& name, const ModelConfig& cfg) {
  const std::string prefix = packed_prefix(name);
  if (store.contains(name) || prefix.empty()) return parameters_of(store, name, cfg);
  return parameters_of(store, prefix + ".qweight", cfg);
}

std::string describe_architecture(const ModelConfig& c) {
  const Architecture& a = c.arch;
  std::vector<std::string> parts;
  if (a.qk_norm) parts.push_back("q/k norms");
  if (a.post_norms) parts.push_back("post-norms");
  if (a.norm_plus_one) parts.push_back("norms scale by 1 + w");
  if (a.scale_embeddings) parts.push_back("embeddings × √hidden");
  if (a.activation != "silu") parts.push_back(a.activation);
  std::ostringstream out;
  if (a.attention_scale > 0) out << "attention scale " << a.attention_scale, parts.push_back(out.str());
  if (a.attn_logit_softcap > 0 || a.final_logit_softcap > 0) {
    out.str("");
    out << "soft-caps " << a.attn_logit_softcap << " (attention) / " << a.final_logit_softcap << " (logits)";
    parts.push_back(out.str());
  }
  if (parts.empty()) return "as Llama";
  std::string joined;
  for (const auto& p : parts) joined += (joined.empty() ? "" : ", ") + p;
  return joined;
}

std::string describe_rope(const RopeConfig& rope) {
  std::ostringstream out;
  out << rope.type << " (theta " << rope.theta;
  if (rope.type != "default") out << ", factor " << rope.factor;
  if (rope.type == "longrope") out << " beyond " << rope.original_max_position << " positions";
  if (rope.partial_rotary_factor < 1) out << ", on " << rope.partial_rotary_factor * 100 << " % of each head";
  out << ")";
  return out.str();
}
}  // namespace

ModelSummary summarize(const Checkpoint& checkpoint, const DropPlan& drops,
                       const std::string& runtime_dtype) {
  const ModelConfig& cfg = checkpoint.config;
  drops.validate(cfg.num_layers);
  const ModelFamily& family = family_for(cfg.model_type);
  const TensorStore& store = *checkpoint.tensors;
  ModelSummary s;
  s.path = checkpoint.dir.string();
  s.family = family.name();
  s.layers = cfg.num_layers;
  s.hidden_size = cfg.hidden_size;
  s.intermediate_size = cfg.intermediate_size;
  s.heads = cfg.num_heads;
  s.kv_heads = cfg.num_kv_heads;
  s.head_dim = cfg.head_dim;
  s.vocab_size = cfg.vocab_size;
  s.max_position_embeddings = cfg.max_position_embeddings;
  for (int64_t w : cfg.sliding_window) s.sliding_window = std::max(s.sliding_window, w);
  s.sliding_layers =
      std::count_if(cfg.sliding_window.begin(), cfg.sliding_window.end(), [](int64_t w) { return w > 0; });
  s.rope = describe_rope(cfg.rope);
  s.architecture = describe_architecture(cfg);
  s.tied_embeddings = cfg.tie_word_embeddings || !store.contains(family.lm_head());
  s.stored_dtype = to_string(store.main_dtype());
  if (cfg.quantization) s.stored_dtype += " + " + describe(*cfg.quantization);
  s.runtime_dtype = runtime_dtype;
  s.parameters = 0;
  for (const auto& name : store.names()) s.parameters += parameters_of(store, name, cfg);
  s.active_parameters = s.parameters;
  for (int64_t i = 0; i < cfg.num_layers; ++i) {
    if (drops.attn_dropped(i))
      for (const auto& name : family.attention(cfg, i).all())
        s.active_parameters -= weight_parameters(store, name, cfg);
    if (drops.mlp_dropped(i))
      for (const auto& name : family.mlp(cfg, i).all())
        s.active_parameters -= weight_parameters(store, name, cfg);
  }
  s.drops = drops;
  const int64_t element = runtime_dtype == "float32" ? 4 : 2;
  const int64_t per_layer = 2 * cfg.num_kv_heads * cfg.head_dim * element;  // K and V
  s.kv_bytes_per_token_full = per_layer * cfg.num_layers;
  s.kv_bytes_per_token = per_layer * (cfg.num_layers - static_cast<int64_t>(drops.attn.size()));
  return s;
}

ModelSummary summarize(const Checkpoint& checkpoint) {
  static const std::map<StorageDType, std::string> runtime = {
      {StorageDType::F32, "float32"}, {StorageDType::BF16, "bfloat16"}, {StorageDType::F16, "float16"}};
  return summarize(checkpoint, checkpoint.config.drops, runtime.at(checkpoint.tensors->main_dtype()));
}

nlohmann::json to_json(const ModelSummary& s) {
  nlohmann::json j = {{"path", s.path},
                      {"family", s.family},
                      {"layers", s.layers},
                      {"hidden_size", s.hidden_size},
                      {"intermediate_size", s.intermediate_size},
                      {"heads", s.heads},
                      {"kv_heads", s.kv_heads},
                      {"head_dim", s.head_dim},
                      {"vocab_size", s.vocab_size},
                      {"max_position_embeddings", s.max_position_embeddings},
                      {"sliding_window", s.sliding_window},
                      {"sliding_window_layers", s.sliding_layers},
                      {"rope", s.rope},
                      {"architecture", s.architecture},
                      {"tied_embeddings", s.tied_embeddings},
                      {"stored_dtype", s.stored_dtype},
                      {"dtype", s.runtime_dtype},
                      {"parameters", s.parameters},
                      {"active_parameters", s.active_parameters},
                      {"kv_bytes_per_token", s.kv_bytes_per_token},
                      {"kv_bytes_per_token_full", s.kv_bytes_per_token_full}};
  j.update(drop_lists_json(s.drops));
  return j;
}

}  // namespace llmdrop
