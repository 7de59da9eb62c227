// tokenizer.json: TokenizerJson::parse on the input, then texts encoded (with and without special tokens) and
// ids decoded. Seeds: the five fixtures of tests/data/tokenizer_json (CMakeLists.txt) and these: a small
// tokenizer with every supported component, its JSON variants, and the generated deep / odd JSON.
#include "checkpoint/tokenizer_json.h"
#include "fuzz_support.h"

namespace {

const std::string kSmall = R"({
  "added_tokens": [{"id": 6, "content": "<s>", "special": true, "lstrip": true, "rstrip": true},
                   {"id": 7, "content": "ab", "special": false, "single_word": true, "normalized": true}],
  "normalizer": {"type": "Sequence", "normalizers": [{"type": "NFKC"}, {"type": "Strip"},
                 {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "}, {"type": "Prepend", "prepend": "_"},
                 {"type": "Lowercase"}]},
  "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": true},
                    {"type": "Metaspace", "replacement": "_", "prepend_scheme": "first", "split": true},
                    {"type": "Split", "pattern": {"Regex": "(?i:a)+|\\p{L}+"}, "behavior": "MergedWithNext",
                     "invert": true}, {"type": "ByteLevel", "add_prefix_space": true, "use_regex": true}]},
  "post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>"}},
                     {"Sequence": {"id": "A"}}, {"SpecialToken": {"id": "<s>"}}],
                     "special_tokens": {"<s>": {"id": "<s>", "ids": [6], "tokens": ["<s>"]}}},
  "decoder": {"type": "Sequence", "decoders": [{"type": "ByteFallback"}, {"type": "Fuse"},
              {"type": "Replace", "pattern": {"String": "_"}, "content": " "},
              {"type": "Strip", "content": " ", "start": 1, "stop": 1}, {"type": "ByteLevel"},
              {"type": "Metaspace", "replacement": "_", "add_prefix_space": true}]},
  "model": {"type": "BPE", "dropout": null, "unk_token": "<unk>", "fuse_unk": true, "byte_fallback": true,
            "ignore_merges": true, "vocab": {"<unk>": 0, "a": 1, "b": 2, "ab": 3, "<0x61>": 4, "Ġ": 5},
            "merges": ["a b", ["a", "b"]]}
})";

}  // namespace

llmdrop::fuzz::Seeds fuzz_seeds() {
  llmdrop::fuzz::Seeds seeds = {
      {"small.json", kSmall},
      {"unknown-merge.json", R"({"model": {"vocab": {"a": 0}, "merges": ["a zz"]}})"},
      {"huge-id.json", R"({"model": {"vocab": {"a": 99999999999}, "merges": []}})"},
      {"bad-regex.json",
       R"({"model": {"vocab": {}, "merges": []}, "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(a"},
          "behavior": "Isolated"}})"},
      {"backtracking.json",
       R"({"model": {"vocab": {}, "merges": []}, "pre_tokenizer": {"type": "Split",
          "pattern": {"Regex": "(a+)+$"}, "behavior": "Isolated"}})"},
      {"wordpiece.json", R"({"model": {"type": "WordPiece", "vocab": {}}})"},
  };
  llmdrop::fuzz::append(seeds, llmdrop::fuzz::json_variants("small-variant.json", kSmall));
  llmdrop::fuzz::append(seeds, llmdrop::fuzz::json_seeds());
  return seeds;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = llmdrop::fuzz::as_text(data, size);
  llmdrop::fuzz::expect_only_errors([&] {
    const auto tokenizer = llmdrop::TokenizerJson::parse(input, "tokenizer.json");
    for (const char* text :
         {"", "ab <s> aab 12 Hello  world\n", "ﬁ ÅΩ 😀 \xC3\xA9", "aaaaaaaaaaaaaaaaaaaaaaaa!"}) {
      tokenizer.decode(tokenizer.encode(text, true), true);
      tokenizer.decode(tokenizer.encode(text));
    }
    std::vector<int64_t> ids;
    for (int64_t id = 0; id < std::min<int64_t>(tokenizer.vocab_size(), 64); ++id) ids.push_back(id);
    tokenizer.decode(ids);
  });
  return 0;
}
