#pragma once
// The model's tokenizer: a BPE tokenizer.json (checkpoint/tokenizer_json: Llama 3, Qwen2, GPT-2 and
// SentencePiece-style fast tokenizers), or, in a folder without one, sentencepiece's tokenizer.model.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llmdrop {

struct ModelConfig;

class Tokenizer {
 public:
  // Opens `model_dir`/tokenizer.json where there is one, as AutoTokenizer prefers the fast tokenizer (BOS as
  // its post-processor adds it, unless tokenizer_config.json's add_bos_token is false; EOS from the model
  // config, else tokenizer_config.json); else `model_dir`/tokenizer.model (bos/eos from the model config
  // when it has them).
  static Tokenizer open(const std::filesystem::path& model_dir, const ModelConfig& config);
  ~Tokenizer();
  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;

  std::vector<int64_t> encode(const std::string& text) const;  // no BOS/EOS added
  std::string decode(const std::vector<int64_t>& ids) const;
  // The text `new_ids` add after `prompt`. sentencepiece drops the word-boundary space of a sequence's first
  // piece, so decoding the new ids alone would glue them to the prompt ("isthe").
  std::string decode_continuation(const std::vector<int64_t>& prompt,
                                  const std::vector<int64_t>& new_ids) const;
  int64_t vocab_size() const;
  std::string kind() const;             // "sentencepiece tokenizer.model" or "BPE tokenizer.json"
  std::string piece(int64_t id) const;  // the vocabulary's text for `id` (e.g. "<s>")
  std::optional<int64_t> bos_id() const { return bos_; }
  std::optional<int64_t> eos_id() const { return eos_; }

 private:
  Tokenizer();
  static Tokenizer open_json(const std::filesystem::path& model_dir, const ModelConfig& config);
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::optional<int64_t> bos_, eos_;
};

}  // namespace llmdrop
