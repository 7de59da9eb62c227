#pragma once
// The hyper-parameters of a decoder-only checkpoint, read from config.json (transformers 4.x and 5.x keys)
// and generation_config.json.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checkpoint/drop_plan.h"
#include "checkpoint/quant_scheme.h"

namespace llmdrop {

struct RopeConfig {
  std::string type = "default";  // default | linear | llama3 | longrope
  double theta = 10000.0;
  double factor = 1.0;
  double low_freq_factor = 1.0;   // llama3
  double high_freq_factor = 4.0;  // llama3
  int64_t original_max_position = 8192;
  // longrope (Phi-3): per-frequency divisors for sequences up to original_max_position and beyond it, and the
  // factor cos and sin are scaled by.
  std::vector<double> short_factor, long_factor;
  double attention_factor = 1.0;
  double partial_rotary_factor = 1.0;  // RoPE turns the first head_dim·factor dims of each head (Phi-4-mini)
};

// What a family computes differently from Llama; every default is Llama's.
struct Architecture {
  std::string activation = "silu";  // of the MLP's gate: silu | gelu_pytorch_tanh
  bool qk_norm = false;             // Qwen3: RMSNorm over each head's queries and keys, before RoPE
  bool post_norms = false;          // Gemma 2: RMSNorm on each branch's output, before the residual add
  bool norm_plus_one = false;       // Gemma: RMSNorm scales by (1 + w), in float32, then rounds
  bool scale_embeddings = false;    // Gemma: embeddings × √hidden, the factor rounded to the model dtype
  double attention_scale = 0;       // 0: 1/√head_dim (Gemma 2: query_pre_attn_scalar^-½)
  double attn_logit_softcap = 0;    // 0: none, else scores → cap·tanh(scores / cap) before the mask
  double final_logit_softcap = 0;   // the same on the logits
  bool operator==(const Architecture&) const = default;
};

struct ModelConfig {
  std::string model_type;
  int64_t vocab_size = 0;
  int64_t hidden_size = 0;
  int64_t intermediate_size = 0;
  int64_t num_layers = 0;
  int64_t num_heads = 0;
  int64_t num_kv_heads = 0;
  int64_t head_dim = 0;
  int64_t max_position_embeddings = 0;
  double rms_norm_eps = 1e-6;
  bool tie_word_embeddings = false;
  bool qkv_bias = false;
  bool o_bias = false;
  bool mlp_bias = false;
  RopeConfig rope;
  int64_t rotary_dim =
      0;  // dims of each head RoPE turns: head_dim unless partial_rotary_factor < 1 (0: head_dim)
  Architecture arch;
  std::vector<int64_t> sliding_window;  // per layer; 0 = full causal attention
  std::string dtype;                    // float32 | bfloat16 | float16, or empty when config.json is silent
  std::optional<int64_t> bos_token_id;
  std::vector<int64_t> eos_token_ids;
  DropPlan drops;                           // drop_attn_list / drop_mlp_list
  std::optional<QuantScheme> quantization;  // quantization_config: linear layers stored GPTQ / AWQ packed
};

// Parses config.json's object; `where` names the file in error messages. Throws BadInput naming the field.
ModelConfig parse_model_config(const nlohmann::json& config, const std::string& where);
// Reads config.json (and generation_config.json when present) of a model directory.
ModelConfig read_model_config(const std::filesystem::path& model_dir);

}  // namespace llmdrop
