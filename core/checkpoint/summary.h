#pragma once
// What a user wants to know about a checkpoint before running it; torch-free so the GUI can show it.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "checkpoint/checkpoint.h"

namespace llmdrop {

struct ModelSummary {
  std::string path;
  std::string family;
  int64_t layers = 0, hidden_size = 0, intermediate_size = 0, heads = 0, kv_heads = 0, head_dim = 0;
  int64_t vocab_size = 0, max_position_embeddings = 0, sliding_window = 0;
  int64_t sliding_layers = 0;  // layers that attend through the window (Gemma 2: every other one)
  std::string rope;            // e.g. "llama3 (theta 500000, factor 8)"
  std::string architecture;    // what the family computes besides Llama's layer, e.g. "q/k norms"; or "llama"
  bool tied_embeddings = false;
  std::string stored_dtype;       // F32 / BF16 / F16 of the safetensors, and the linears' quantization
  std::string runtime_dtype;      // the dtype the numbers below assume
  bool streamed_layers = false;   // set by a front end whose model streams its layers (it did not fit)
  int64_t parameters = 0;         // in the checkpoint
  int64_t active_parameters = 0;  // without the dropped modules
  DropPlan drops;
  int64_t kv_bytes_per_token = 0;       // with the drops
  int64_t kv_bytes_per_token_full = 0;  // without them
};

// runtime_dtype: "float32" | "bfloat16" | "float16" — the element size of the KV cache.
ModelSummary summarize(const Checkpoint& checkpoint, const DropPlan& drops, const std::string& runtime_dtype);
// With the checkpoint's own drop lists, for its stored dtype.
ModelSummary summarize(const Checkpoint& checkpoint);
nlohmann::json to_json(const ModelSummary& summary);

}  // namespace llmdrop
