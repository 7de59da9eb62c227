#pragma once
// A tokenizer.json read as Hugging Face's `tokenizers` reads it, for the BPE tokenizers today's checkpoints
// ship: byte-level (GPT-2, Llama 3, Qwen2) and SentencePiece-style (Llama 2 / Mistral fast tokenizers).
// The pipeline is the library's: added tokens are cut out of the text first (longest first), each other piece
// is normalized, pre-tokenized into words, and each word is split by the BPE model; the post-processor adds
// the template's special tokens. What is not supported (another model, normalizer, pre-tokenizer, decoder or
// post-processor, BPE dropout, subword prefixes) is refused with one BadInput line naming it.
//
// Hand-written here: only the BPE merge loop (ranked merges, a per-word cache); regular expressions are
// PCRE2's (util/regex). No packaged C++ implementation of `tokenizers` exists.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmdrop {

class TokenizerJson {
 public:
  // BadInput naming the file and the field on anything malformed or unsupported.
  static TokenizerJson open(const std::filesystem::path& file);
  static TokenizerJson parse(std::string_view json_text, const std::string& where);
  ~TokenizerJson();
  TokenizerJson(TokenizerJson&&) noexcept;
  TokenizerJson& operator=(TokenizerJson&&) noexcept;

  // BadInput when `text` is not valid UTF-8 (the library takes only valid UTF-8 strings).
  std::vector<int64_t> encode(std::string_view text, bool add_special_tokens = false) const;
  std::string decode(const std::vector<int64_t>& ids, bool skip_special_tokens = false) const;
  int64_t vocab_size() const;  // the model's pieces and the added tokens
  std::optional<int64_t> token_id(const std::string& token) const;
  std::string token(int64_t id) const;  // the piece or added token; BadInput outside the vocabulary

 private:
  TokenizerJson();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmdrop
