#include "model/shapes.h"

#include <map>

#include "util/error.h"

namespace llmdrop {

namespace {

struct Shape {
  std::string family;
  int64_t vocab, hidden, intermediate, layers, heads, kv_heads, max_position;
  double rope_theta, rms_norm_eps;
  int64_t sliding_window = 0;
  bool qkv_bias = false;
};

// The published configs of these models (config.json on the Hugging Face Hub).
const std::map<std::string, Shape>& shapes() {
  static const std::map<std::string, Shape> table = {
      {"llama2-7b", {"llama", 32000, 4096, 11008, 32, 32, 32, 4096, 10000.0, 1e-5}},
      {"llama2-13b", {"llama", 32000, 5120, 13824, 40, 40, 40, 4096, 10000.0, 1e-5}},
      {"llama2-70b", {"llama", 32000, 8192, 28672, 80, 64, 8, 4096, 10000.0, 1e-5}},
      {"llama3-70b", {"llama", 128256, 8192, 28672, 80, 64, 8, 8192, 500000.0, 1e-5}},
      {"mistral-7b", {"mistral", 32000, 4096, 14336, 32, 32, 8, 32768, 10000.0, 1e-5, 4096}},
      {"llama3-8b", {"llama", 128256, 4096, 14336, 32, 32, 8, 8192, 500000.0, 1e-5}},
      {"qwen2-7b", {"qwen2", 152064, 3584, 18944, 28, 28, 4, 32768, 1000000.0, 1e-6, 0, true}},
      {"tiny", {"llama", 512, 64, 128, 4, 4, 2, 512, 10000.0, 1e-5}},  // for tests
  };
  return table;
}

}  // namespace

std::vector<std::string> shape_names() {
  std::vector<std::string> names;
  for (const auto& [name, shape] : shapes()) names.push_back(name);
  return names;
}

ModelConfig shape_config(const std::string& name) {
  const auto it = shapes().find(name);
  if (it == shapes().end()) {
    std::string known;
    for (const auto& n : shape_names()) known += (known.empty() ? "" : ", ") + n;
    throw_bad_input("unknown shape '" + name + "' (known: " + known + ")");
  }
  const Shape& s = it->second;
  ModelConfig c;
  c.model_type = s.family;
  c.vocab_size = s.vocab;
  c.hidden_size = s.hidden;
  c.intermediate_size = s.intermediate;
  c.num_layers = s.layers;
  c.num_heads = s.heads;
  c.num_kv_heads = s.kv_heads;
  c.head_dim = s.hidden / s.heads;
  c.rotary_dim = c.head_dim;
  c.max_position_embeddings = s.max_position;
  c.rms_norm_eps = s.rms_norm_eps;
  c.qkv_bias = s.qkv_bias;
  c.rope.theta = s.rope_theta;
  c.sliding_window.assign(s.layers, s.sliding_window);
  c.dtype = "bfloat16";
  c.bos_token_id = 1;
  c.eos_token_ids = {2};
  return c;
}

}  // namespace llmdrop
