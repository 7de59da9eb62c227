#include "checkpoint/tokenizer.h"

#include <sentencepiece_processor.h>

#include "checkpoint/model_config.h"
#include "util/error.h"

namespace llmdrop {
namespace fs = std::filesystem;

struct Tokenizer::Impl {
  sentencepiece::SentencePieceProcessor processor;
};

Tokenizer::Tokenizer() : impl_(std::make_unique<Impl>()) {}
Tokenizer::~Tokenizer() = default;
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;

Tokenizer Tokenizer::open(const fs::path& model_dir, const ModelConfig& config) {
  const fs::path path = model_dir / "tokenizer.model";
  if (!fs::exists(path)) {
    if (fs::exists(model_dir / "tokenizer.json"))
      throw_bad_input(
          "this model's tokenizer is tokenizer.json (byte-level BPE, as in Llama-3 and Qwen2), which "
          "is not supported yet; a sentencepiece tokenizer.model is needed");
    throw_bad_input("no tokenizer.model in " + model_dir.string());
  }
  Tokenizer tok;
  const auto status = tok.impl_->processor.Load(path.string());
  if (!status.ok()) throw_bad_input("cannot load " + path.string() + ": " + status.ToString());
  const int bos = tok.impl_->processor.bos_id();
  const int eos = tok.impl_->processor.eos_id();
  tok.bos_ =
      config.bos_token_id ? config.bos_token_id : (bos >= 0 ? std::optional<int64_t>(bos) : std::nullopt);
  tok.eos_ = !config.eos_token_ids.empty() ? std::optional<int64_t>(config.eos_token_ids.front())
                                           : (eos >= 0 ? std::optional<int64_t>(eos) : std::nullopt);
  return tok;
}

std::vector<int64_t> Tokenizer::encode(const std::string& text) const {
  std::vector<int> ids;
  const auto status = impl_->processor.Encode(text, &ids);
  if (!status.ok()) throw_runtime("tokenizer: " + status.ToString());
  return {ids.begin(), ids.end()};
}

std::string Tokenizer::decode(const std::vector<int64_t>& ids) const {
  std::vector<int> pieces;
  for (int64_t id : ids) {
    if (id < 0 || id >= vocab_size())
      throw_bad_input("token id " + std::to_string(id) + " is outside the vocabulary");
    pieces.push_back(static_cast<int>(id));
  }
  std::string text;
  const auto status = impl_->processor.Decode(pieces, &text);
  if (!status.ok()) throw_runtime("tokenizer: " + status.ToString());
  return text;
}

std::string Tokenizer::decode_continuation(const std::vector<int64_t>& prompt,
                                           const std::vector<int64_t>& new_ids) const {
  std::vector<int64_t> all = prompt;
  all.insert(all.end(), new_ids.begin(), new_ids.end());
  const std::string full = decode(all), head = decode(prompt);
  return full.compare(0, head.size(), head) == 0 ? full.substr(head.size()) : decode(new_ids);
}

int64_t Tokenizer::vocab_size() const {
  return impl_->processor.GetPieceSize();
}

}  // namespace llmdrop
