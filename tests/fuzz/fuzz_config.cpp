// config.json and generation_config.json: read_model_config on a folder holding the input as config.json,
// then Checkpoint::open and summarize with a real fixture's weights beside it (the sizes derived from the
// config); and the input as generation_config.json beside a valid config.json.
#include <fstream>

#include "checkpoint/checkpoint.h"
#include "checkpoint/model_config.h"
#include "checkpoint/summary.h"
#include "fuzz_support.h"

namespace fs = std::filesystem;

namespace {

const std::string kValidConfig = R"({
  "model_type": "llama", "vocab_size": 384, "hidden_size": 64, "intermediate_size": 128,
  "num_hidden_layers": 4, "num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 256,
  "rms_norm_eps": 1e-05, "rope_theta": 10000.0, "tie_word_embeddings": false, "torch_dtype": "float32",
  "bos_token_id": 1, "eos_token_id": 2
})";

// A folder with the llama fixture's weights (copied once) and config.json.
const fs::path& model_dir() {
  static const fs::path& dir = *new fs::path([] {
    const fs::path d = llmdrop::fuzz::scratch_dir() / "model";
    fs::create_directories(d);
    fs::copy_file(llmdrop::fuzz::source_dir() / "tests/data/models/llama/model.safetensors",
                  d / "model.safetensors", fs::copy_options::overwrite_existing);
    return d;
  }());
  return dir;
}

}  // namespace

llmdrop::fuzz::Seeds fuzz_seeds() {
  auto with = [](const std::string& fields) { return "{\"model_type\": \"llama\", " + fields + "}"; };
  const std::string sizes =
      R"("vocab_size": 384, "hidden_size": 64, "intermediate_size": 128, "num_attention_heads": 4, )";
  llmdrop::fuzz::Seeds seeds = {
      {"missing-hidden-size.json",
       with(R"("vocab_size": 384, "intermediate_size": 128, "num_hidden_layers": 4,
                                          "num_attention_heads": 4)")},
      {"missing-model-type.json", R"({"vocab_size": 384, "hidden_size": 64})"},
      {"wrong-types.json", with(R"("vocab_size": "384", "hidden_size": 64.5, "intermediate_size": true,
                                  "num_hidden_layers": [4], "num_attention_heads": {"n": 4},
                                  "rms_norm_eps": "x")")},
      {"huge-layers.json", with(sizes + R"("num_hidden_layers": 1e12)")},
      {"huge-layers-int.json", with(sizes + R"("num_hidden_layers": 1099511627780)")},
      {"huge-vocab.json", with(R"("vocab_size": 1099511627780, "hidden_size": 1099511627780,
                                 "intermediate_size": 1099511627780, "num_hidden_layers": 2,
                                 "num_attention_heads": 1099511627780, "head_dim": 1099511627780)")},
      {"negative.json",
       with(sizes + R"("num_hidden_layers": -4, "num_key_value_heads": -1, "head_dim": -2)")},
      {"zero-heads.json",
       with(sizes + R"("num_hidden_layers": 4, "num_attention_heads": 0, "num_key_value_heads": 0)")},
      {"rope-llama3.json", with(sizes + R"("num_hidden_layers": 4, "rope_scaling": {"rope_type": "llama3",
          "factor": 8.0, "low_freq_factor": 1e400, "high_freq_factor": 4.0,
          "original_max_position_embeddings": 1e12})")},
      {"rope-parameters.json",
       with(sizes + R"("num_hidden_layers": 4, "rope_parameters": {"rope_type": "linear",
          "factor": 0, "rope_theta": -1})")},
      {"token-ids.json", with(sizes + R"("num_hidden_layers": 4, "bos_token_id": 1099511627780,
                                        "eos_token_id": [2, -1, 1e12, null]})")},
      {"drops.json", with(sizes + R"("num_hidden_layers": 4, "drop_attn_list": [0, 3, 3, 1099511627780],
                                    "drop_mlp_list": "1,2")")},
      {"drops-all.json", with(sizes + R"("num_hidden_layers": 4, "drop_attn_list": [0, 1, 2, 3],
                                        "drop_mlp_list": [0, 1, 2, 3])")},
      {"sliding.json",
       with(sizes + R"("num_hidden_layers": 2, "layer_types": ["sliding_attention", "full_attention"],
                                      "sliding_window": 1099511627780)")},
      {"quantization.json",
       with(sizes + R"("num_hidden_layers": 4, "quantization_config": {"quant_method": "gptq",
          "bits": 4, "group_size": 1099511627780, "desc_act": "yes"}})")},
      {"qwen2.json",
       R"({"model_type": "qwen2", "vocab_size": 384, "hidden_size": 64, "intermediate_size": 128,
          "num_hidden_layers": 4, "num_attention_heads": 4, "use_sliding_window": true,
          "sliding_window": 1e12,
          "max_window_layers": -1})"},
      {"gemma2.json",
       R"({"model_type": "gemma2", "vocab_size": 384, "hidden_size": 64, "intermediate_size": 128,
          "num_hidden_layers": 4, "num_attention_heads": 4, "head_dim": 16, "query_pre_attn_scalar": -1,
          "attn_logit_softcapping": null, "final_logit_softcapping": 1e400, "sliding_window": 4,
          "hidden_activation": "gelu_pytorch_tanh"})"},
      {"phi3-longrope.json",
       R"({"model_type": "phi3", "vocab_size": 384, "hidden_size": 64, "intermediate_size": 128,
          "num_hidden_layers": 4, "num_attention_heads": 4, "partial_rotary_factor": 0.5,
          "original_max_position_embeddings": 0, "rope_scaling": {"type": "su", "short_factor": [1, 2, 3, 4],
          "long_factor": [1, 2, -3, "x"]}})"},
      {"qwen3.json",
       R"({"model_type": "qwen3", "vocab_size": 384, "hidden_size": 64, "intermediate_size": 128,
          "num_hidden_layers": 4, "num_attention_heads": 4, "head_dim": 32, "partial_rotary_factor": 0})"},
      {"gen-config.json", R"({"bos_token_id": 1, "eos_token_id": [2, 3], "do_sample": false})"},
  };
  llmdrop::fuzz::append(seeds, llmdrop::fuzz::json_variants("valid-config.json", kValidConfig));
  llmdrop::fuzz::append(seeds, llmdrop::fuzz::json_seeds());
  return seeds;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = llmdrop::fuzz::as_text(data, size);
  const fs::path dir = model_dir();
  llmdrop::fuzz::write_input("model/config.json", input);
  llmdrop::fuzz::expect_only_errors([&] { llmdrop::read_model_config(dir); });
  llmdrop::fuzz::expect_only_errors([&] {
    const auto checkpoint = llmdrop::Checkpoint::open(dir);
    llmdrop::to_json(llmdrop::summarize(checkpoint));
    llmdrop::summarize(checkpoint, {}, "bfloat16");
  });
  // generation_config.json beside a valid config.json.
  const fs::path gen = llmdrop::fuzz::write_input("gen/generation_config.json", input);
  llmdrop::fuzz::write_input("gen/config.json", kValidConfig);
  llmdrop::fuzz::expect_only_errors([&] { llmdrop::read_model_config(gen.parent_path()); });
  return 0;
}
