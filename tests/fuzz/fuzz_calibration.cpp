// Calibration data: read_text_documents on the input as .json, .jsonl and .txt, then calibration_blocks with
// the llama fixture's tokenizer. Seeds: tests/data/calibration (CMakeLists.txt) and these.
#include <ATen/ATen.h>

#include "analysis/calibration.h"
#include "checkpoint/model_config.h"
#include "checkpoint/tokenizer.h"
#include "fuzz_support.h"

namespace {

const llmdrop::Tokenizer& tokenizer() {
  static const llmdrop::Tokenizer& tok = *new llmdrop::Tokenizer([] {
    llmdrop::ModelConfig config;
    config.eos_token_ids = {2};
    return llmdrop::Tokenizer::open(llmdrop::fuzz::source_dir() / "tests/data/models/llama", config);
  }());
  return tok;
}

}  // namespace

llmdrop::fuzz::Seeds fuzz_seeds() {
  const std::string doc = R"({"text": "The quick brown fox jumps over the lazy dog."})";
  llmdrop::fuzz::Seeds seeds = {
      {"array.json", "[" + doc + ", " + doc + "]"},
      {"plain.txt", "Plain text, one document.\nSecond line.\n"},
      {"blank-lines.jsonl", "\n\n" + doc + "\n\n   \r\n\t\n" + doc + "\n\n"},
      {"missing-text.jsonl", R"({"content": "no text field"})"},
      {"wrong-types.jsonl", R"({"text": 12})"
                            "\n"
                            R"({"text": null})"
                            "\n"
                            R"({"text": ["a"]})"},
      {"wrong-types.json", R"([{"text": 1099511627780}, "text", null, [], {"text": {"a": 1}}])"},
      {"huge-numbers.jsonl", R"({"text": "x", "n": 1e12, "m": 1099511627780})"},
      {"not-objects.jsonl", "1\n\"text\"\n[1, 2]\n"},
      {"empty-array.json", "[]"},
      {"empty-text.jsonl", R"({"text": ""})"},
  };
  llmdrop::fuzz::append(seeds, llmdrop::fuzz::json_variants("docs.jsonl", doc + "\n" + doc + "\n"));
  llmdrop::fuzz::append(seeds, llmdrop::fuzz::json_seeds());
  return seeds;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = llmdrop::fuzz::as_text(data, size);
  for (const char* name : {"calibration.jsonl", "calibration.json", "calibration.txt"}) {
    const auto path = llmdrop::fuzz::write_input(name, input);
    llmdrop::fuzz::expect_only_errors([&] {
      const auto documents = llmdrop::read_text_documents(path);
      llmdrop::calibration_blocks(tokenizer(), documents, 1, 4);
    });
  }
  return 0;
}
