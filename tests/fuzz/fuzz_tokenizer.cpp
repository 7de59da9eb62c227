// tokenizer.model (a sentencepiece ModelProto): Tokenizer::open on a folder holding the input, then a round
// trip of a short text through it. Seeds: the fixtures' tokenizer.model files (CMakeLists.txt) and these.
#include <fstream>
#include <iterator>

#include "checkpoint/model_config.h"
#include "checkpoint/tokenizer.h"
#include "fuzz_support.h"

namespace {

// Protobuf wire format, enough to append fields to a ModelProto: a field that appears again overrides a
// scalar and merges into a message (so the fixture's model with a damaged normalizer spec).
std::string varint(uint64_t v) {
  std::string out;
  for (; v >= 0x80; v >>= 7) out += static_cast<char>((v & 0x7f) | 0x80);
  return out + static_cast<char>(v);
}
std::string bytes_field(int number, const std::string& bytes) {
  return varint(uint64_t(number) << 3 | 2) + varint(bytes.size()) + bytes;
}
std::string varint_field(int number, uint64_t value) {
  return varint(uint64_t(number) << 3) + varint(value);
}
std::string u32(uint32_t v) {
  return std::string(reinterpret_cast<const char*>(&v), 4);
}

}  // namespace

llmdrop::fuzz::Seeds fuzz_seeds() {
  std::ifstream in(llmdrop::fuzz::source_dir() / "tests/data/tokenizer/tokenizer.model", std::ios::binary);
  const std::string model((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // ModelProto: 1 pieces, 2 trainer_spec (3 model_type, 40 unk_id, 41 bos_id, 42 eos_id, 35 byte_fallback),
  // 3 normalizer_spec (2 precompiled_charsmap: u32 trie size, Darts trie units, normalized strings).
  auto charsmap = [&](const std::string& blob) { return model + bytes_field(3, bytes_field(2, blob)); };
  return {
      {"empty.model", ""},
      {"zeros.model", std::string(64, '\0')},
      {"json.model", "{\"model\": {\"type\": \"BPE\"}}"},
      // protobuf fields with lengths past the end of the input and a huge varint
      {"truncated-field.model", "\x0a\xff\xff\xff\x0f\x0a\x01"},
      {"huge-varint.model", "\x10\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"},
      {"charsmap-garbage-trie.model", charsmap(u32(8) + std::string(8, '\xff') + "x")},
      {"charsmap-zero-trie.model", charsmap(u32(8) + std::string(8, '\0') + "abc")},
      {"charsmap-size-past-end.model", charsmap(u32(1000) + "abcd")},
      {"charsmap-odd-size.model", charsmap(u32(5) + "\x01\x02\x03\x04\x05" + "ab")},
      {"charsmap-units.model",
       charsmap(u32(16) + u32(0x7fffffff) + u32(0x80000041) + u32(0x400) + u32(0xffffffff) + "a\0")},
      {"bad-ids.model", model + bytes_field(2, varint_field(40, 1000000) + varint_field(41, 99999) +
                                                   varint_field(42, uint64_t(-1)))},
      {"bpe-byte-fallback.model", model + bytes_field(2, varint_field(3, 2) + varint_field(35, 1))},
      {"no-pieces.model", bytes_field(2, varint_field(3, 1)) + bytes_field(3, bytes_field(1, "nmt_nfkc"))},
  };
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = llmdrop::fuzz::write_input("model/tokenizer.model", llmdrop::fuzz::as_text(data, size));
  llmdrop::fuzz::expect_only_errors([&] {
    const llmdrop::ModelConfig config;
    const auto tokenizer = llmdrop::Tokenizer::open(path.parent_path(), config);
    const auto ids = tokenizer.encode("Hello world, 12 \xC3\xA9t\xC3\xA9s!\n\tend");
    tokenizer.decode(ids);
    if (!ids.empty()) tokenizer.decode_continuation({ids.front()}, {ids.begin() + 1, ids.end()});
    tokenizer.vocab_size();
  });
  return 0;
}
