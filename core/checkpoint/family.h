#pragma once
// One adapter per model family: what sets a family apart from the Llama layout (biases, sliding window, extra
// norms, soft-capping, RoPE scaling), and the Hugging Face tensor names of its modules.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace llmdrop {

struct ModelConfig;

// A slice of the runtime's fused linear as the checkpoint stores it: `rows` output rows named `weight`.
struct TensorPart {
  std::string weight;
  int64_t rows = 0;
};

// Everything an attention branch owns: dropping the attention drops all of it, its norms included.
struct AttentionTensorNames {
  std::string pre_norm;   // (hidden) input_layernorm
  std::string post_norm;  // (hidden) on the branch output before the residual add; empty: none
  std::vector<TensorPart>
      qkv;  // q | k | v rows in order: three parts, or one where the checkpoint fuses them
  std::vector<std::string> bias;  // one per qkv part, used when the config says the family has them
  std::string o, o_bias;
  std::string q_norm, k_norm;            // (head_dim) per-head RMSNorm of queries and keys; empty: none
  std::vector<std::string> all() const;  // every name above that is set
};

// Everything an MLP branch owns.
struct MlpTensorNames {
  std::string pre_norm, post_norm;
  std::vector<TensorPart> gate_up;  // gate | up rows in order: two parts, or one fused
  std::string down;
  std::vector<std::string> all() const;
};

class ModelFamily {
 public:
  virtual ~ModelFamily() = default;
  virtual std::string name() const = 0;
  // Reads the family's own hyper-parameters on top of the common ones already in `config`.
  virtual void read_hparams(const nlohmann::json& raw, ModelConfig& config) const = 0;

  // Llama, Mistral, Qwen2/3, Gemma 2 and Phi-3 share the Hugging Face Llama naming of these.
  virtual std::string embedding() const { return "model.embed_tokens.weight"; }
  virtual std::string final_norm() const { return "model.norm.weight"; }
  virtual std::string lm_head() const { return "lm_head.weight"; }
  virtual AttentionTensorNames attention(const ModelConfig& config, int64_t layer) const;
  virtual MlpTensorNames mlp(const ModelConfig& config, int64_t layer) const;
};

// Throws BadInput naming the supported families when `model_type` is not one of them.
const ModelFamily& family_for(const std::string& model_type);
std::vector<std::string> supported_families();

}  // namespace llmdrop
