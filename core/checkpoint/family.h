#pragma once
// One adapter per model family: what sets a family apart from the Llama layout (biases, sliding window),
// and the Hugging Face tensor names of its modules.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace llmdrop {

struct ModelConfig;

struct AttentionTensorNames {
  std::string q, k, v, o;                      // weights
  std::string q_bias, k_bias, v_bias, o_bias;  // used when the config says the family has them
};
struct MlpTensorNames {
  std::string gate, up, down;
};

class ModelFamily {
 public:
  virtual ~ModelFamily() = default;
  virtual std::string name() const = 0;
  // Reads the family's own hyper-parameters on top of the common ones already in `config`.
  virtual void read_hparams(const nlohmann::json& raw, ModelConfig& config) const = 0;

  // Llama, Mistral and Qwen2 share the Hugging Face Llama naming.
  virtual std::string embedding() const { return "model.embed_tokens.weight"; }
  virtual std::string final_norm() const { return "model.norm.weight"; }
  virtual std::string lm_head() const { return "lm_head.weight"; }
  virtual std::string attn_norm(int64_t layer) const;
  virtual std::string mlp_norm(int64_t layer) const;
  virtual AttentionTensorNames attention(int64_t layer) const;
  virtual MlpTensorNames mlp(int64_t layer) const;
};

// Throws BadInput naming the supported families when `model_type` is not one of them.
const ModelFamily& family_for(const std::string& model_type);
std::vector<std::string> supported_families();

}  // namespace llmdrop
