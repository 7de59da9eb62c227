#include "checkpoint/tokenizer.h"

#include <sentencepiece_processor.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "checkpoint/model_config.h"
#include "checkpoint/tokenizer_json.h"
#include "util/error.h"
#include "util/input.h"

namespace llmdrop {
namespace fs = std::filesystem;

namespace {

// protobuf's wire format, as much of it as reading sentencepiece's ModelProto needs.
class WireReader {
 public:
  struct Field {
    uint64_t number = 0;
    uint32_t type = 0;         // 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32
    std::string_view payload;  // type 2
  };
  explicit WireReader(std::string_view data) : data_(data) {}

  // The next field; false at the end or on malformed data (then broken()).
  bool next(Field& f) {
    if (pos_ == data_.size()) return false;
    uint64_t key = 0, length = 0;
    if (!varint(key) || (key >> 3) == 0) return fail();
    f.number = key >> 3;
    f.type = static_cast<uint32_t>(key & 7);
    switch (f.type) {
      case 0:
        return varint(length) || fail();
      case 1:
        return skip(8);
      case 2:
        if (!varint(length) || length > data_.size() - pos_) return fail();
        f.payload = data_.substr(pos_, length);
        pos_ += length;
        return true;
      case 5:
        return skip(4);
      default:  // groups: never in a ModelProto
        return fail();
    }
  }
  bool broken() const { return broken_; }

 private:
  bool varint(uint64_t& value) {
    value = 0;
    for (int shift = 0; shift < 64 && pos_ < data_.size(); shift += 7) {
      const auto byte = static_cast<uint8_t>(data_[pos_++]);
      value |= uint64_t(byte & 0x7F) << shift;
      if (!(byte & 0x80)) return true;
    }
    return false;
  }
  bool skip(size_t n) {
    if (n > data_.size() - pos_) return fail();
    pos_ += n;
    return true;
  }
  bool fail() {
    broken_ = true;
    return false;
  }

  std::string_view data_;
  size_t pos_ = 0;
  bool broken_ = false;
};

// What sentencepiece takes on trust from a ModelProto. protobuf merges repeated occurrences of a message
// field and keeps the last value of a scalar one; so do these.
struct ModelProtoView {
  std::string_view normalizer_charsmap, denormalizer_charsmap;  // NormalizerSpec.precompiled_charsmap (2)
  std::vector<std::string_view> pieces;                         // SentencePiece.piece (1) of each piece
};

bool read_charsmap(std::string_view spec, std::string_view& charsmap) {
  WireReader r(spec);
  WireReader::Field f;
  while (r.next(f))
    if (f.number == 2 && f.type == 2) charsmap = f.payload;
  return !r.broken();
}

bool read_model_proto(std::string_view bytes, ModelProtoView& view) {
  WireReader r(bytes);
  WireReader::Field f;
  while (r.next(f)) {
    if (f.type != 2) continue;
    if (f.number == 1) {  // ModelProto.pieces
      WireReader piece(f.payload);
      WireReader::Field p;
      view.pieces.emplace_back();
      while (piece.next(p))
        if (p.number == 1 && p.type == 2) view.pieces.back() = p.payload;
      if (piece.broken()) return false;
    } else if (f.number == 3 && !read_charsmap(f.payload, view.normalizer_charsmap)) {
      return false;
    } else if (f.number == 5 && !read_charsmap(f.payload, view.denormalizer_charsmap)) {
      return false;
    }
  }
  return !r.broken();
}

// Whether sentencepiece's normalizer can walk `blob` safely on any input. The blob is a little-endian uint32
// trie size, a darts-clone double array of uint32 units, then NUL-terminated replacement strings. The
// normalizer runs darts-clone's commonPrefixSearch unchecked: from each node it reads the unit at node ^ c
// for the next input byte c, follows the offset when the unit's label is c, and for a leaf reads the value
// unit and then the string at that value; it stores at most 32 results on one path but loops over all it
// found. So every node reachable with some input must keep all those reads in bounds, the graph must be
// acyclic (a cycle is an endless path) and no path may hold more than 32 leaves.
bool charsmap_is_sound(std::string_view blob) {
  constexpr int kMaxResults = 32;  // sentencepiece's Normalizer::kMaxTrieResultsSize
  if (blob.empty()) return true;   // no rules
  const auto u32 = [&](size_t at) {
    uint32_t v = 0;
    for (int k = 3; k >= 0; --k) v = (v << 8) | static_cast<uint8_t>(blob[at + k]);
    return v;
  };
  if (blob.size() < 4) return false;
  const uint64_t trie_bytes = u32(0);
  if (trie_bytes < 4 || trie_bytes % 4 != 0 || trie_bytes > blob.size() - 4) return false;
  const size_t n = trie_bytes / 4;
  const auto unit = [&](uint64_t i) { return u32(4 + 4 * i); };  // callers keep i < n
  const std::string_view normalized = blob.substr(4 + trie_bytes);
  const size_t last_nul = normalized.rfind('\0');  // a string at v ends inside the blob iff v <= last_nul

  // darts-clone's unit layout.
  const auto offset = [](uint32_t u) { return uint64_t(u >> 10) << ((u & (1u << 9)) >> 6); };
  const auto label = [](uint32_t u) { return u & (0x80000000u | 0xFFu); };
  const auto has_leaf = [](uint32_t u) { return ((u >> 8) & 1) != 0; };
  // A node (position after the offset) is safe to stand on when the unit of every next byte is in the array.
  const auto node_ok = [&](uint64_t node) { return (node | 0xFF) < n; };

  const uint64_t root = offset(unit(0));
  if (!node_ok(root)) return false;
  // Depth-first over nodes; most_leaves[node]: the most leaves on a path from it (capped past the limit).
  enum : uint8_t { kUnseen, kOnPath, kDone };
  std::vector<uint8_t> state(n, kUnseen), most_leaves(n, 0);
  struct Frame {
    size_t node;
    uint32_t next_byte = 0;
    int best = 0;
    int edge_leaf = 0;  // the leaf on the edge to the child being explored
  };
  std::vector<Frame> stack{{static_cast<size_t>(root)}};
  state[root] = kOnPath;
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next_byte == 256) {
      state[top.node] = kDone;
      most_leaves[top.node] = static_cast<uint8_t>(std::min(top.best, kMaxResults + 1));
      const int found = most_leaves[top.node];
      stack.pop_back();
      if (!stack.empty()) {
        Frame& parent = stack.back();
        parent.best = std::max(parent.best, parent.edge_leaf + found);
        if (parent.best > kMaxResults) return false;
      }
      continue;
    }
    const uint32_t c = top.next_byte++;
    const uint32_t u = unit(top.node ^ c);
    if (label(u) != c) continue;
    const uint64_t child = (top.node ^ c) ^ offset(u);
    if (!node_ok(child)) return false;
    const int leaf = has_leaf(u) ? 1 : 0;
    if (leaf) {
      const uint32_t value = unit(child) & 0x7FFFFFFFu;
      if (last_nul == std::string_view::npos || value > last_nul) return false;
    }
    if (state[child] == kOnPath) return false;  // a cycle
    if (state[child] == kDone) {
      top.best = std::max(top.best, leaf + most_leaves[child]);
      if (top.best > kMaxResults) return false;
      continue;
    }
    top.edge_leaf = leaf;
    state[child] = kOnPath;
    stack.push_back({static_cast<size_t>(child)});  // invalidates `top`
  }
  return true;
}

// Refuses what would make sentencepiece read out of bounds or throw from inside: damaged normalizer rules and
// pieces with a NUL byte (its tries take pieces as C strings).
void check_model_proto(const std::string& bytes, const fs::path& path) {
  ModelProtoView view;
  if (!read_model_proto(bytes, view))
    throw_bad_input(path.string() + ": not a sentencepiece model (damaged protobuf data)");
  if (!charsmap_is_sound(view.normalizer_charsmap))
    throw_bad_input(path.string() + ": normalizer rules (precompiled_charsmap) are damaged");
  if (!charsmap_is_sound(view.denormalizer_charsmap))
    throw_bad_input(path.string() + ": denormalizer rules (precompiled_charsmap) are damaged");
  if (view.pieces.empty()) throw_bad_input(path.string() + ": the vocabulary is empty");
  for (size_t i = 0; i < view.pieces.size(); ++i)
    if (view.pieces[i].find('\0') != std::string_view::npos)
      throw_bad_input(path.string() + ": piece " + std::to_string(i) + " contains a NUL byte");
}

}  // namespace

struct Tokenizer::Impl {
  std::optional<TokenizerJson> json;  // when the folder's tokenizer is tokenizer.json
  sentencepiece::SentencePieceProcessor processor;
};

Tokenizer::Tokenizer() : impl_(std::make_unique<Impl>()) {}
Tokenizer::~Tokenizer() = default;
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;

Tokenizer Tokenizer::open(const fs::path& model_dir, const ModelConfig& config) {
  // tokenizer.json first, as AutoTokenizer takes the fast tokenizer where there is one.
  if (fs::exists(model_dir / "tokenizer.json")) return open_json(model_dir, config);
  const fs::path path = model_dir / "tokenizer.model";
  if (!fs::exists(path)) throw_bad_input("no tokenizer.json or tokenizer.model in " + model_dir.string());
  // Read here, through the input layer (a regular file of bounded size), and checked before sentencepiece
  // sees it: sentencepiece trusts the file's normalizer rules.
  const std::string bytes = read_file(path, kMaxMetadataBytes);
  check_model_proto(bytes, path);
  Tokenizer tok;
  sentencepiece::util::Status status;
  try {
    status = tok.impl_->processor.LoadFromSerializedProto(bytes);
  } catch (const std::exception& e) {  // darts-clone throws on vocabularies it cannot index
    throw_bad_input("cannot load " + path.string() + ": " + e.what());
  }
  if (!status.ok()) throw_bad_input("cannot load " + path.string() + ": " + status.ToString());
  const int bos = tok.impl_->processor.bos_id();
  const int eos = tok.impl_->processor.eos_id();
  tok.bos_ =
      config.bos_token_id ? config.bos_token_id : (bos >= 0 ? std::optional<int64_t>(bos) : std::nullopt);
  tok.eos_ = !config.eos_token_ids.empty() ? std::optional<int64_t>(config.eos_token_ids.front())
                                           : (eos >= 0 ? std::optional<int64_t>(eos) : std::nullopt);
  return tok;
}

Tokenizer Tokenizer::open_json(const fs::path& model_dir, const ModelConfig& config) {
  Tokenizer tok;
  tok.impl_->json = TokenizerJson::open(model_dir / "tokenizer.json");
  const TokenizerJson& json = *tok.impl_->json;
  // BOS: what the post-processor puts first (AutoTokenizer's add_special_tokens), unless
  // tokenizer_config.json says add_bos_token false. EOS: config.json's, else tokenizer_config.json's.
  nlohmann::json settings = nlohmann::json::object();
  if (const fs::path file = model_dir / "tokenizer_config.json"; fs::exists(file)) {
    settings = read_json_file(file);
    if (!settings.is_object()) throw_bad_input(file.string() + " must be a JSON object");
  }
  const std::vector<int64_t> around = json.encode("", /*add_special_tokens=*/true);
  const std::string where = (model_dir / "tokenizer_config.json").string() + ": ";
  const nlohmann::json* add_bos = json_find(settings, "add_bos_token");
  if (!around.empty() && (!add_bos || json_bool(*add_bos, where + "add_bos_token")))
    tok.bos_ = around.front();
  if (!config.eos_token_ids.empty()) {
    tok.eos_ = config.eos_token_ids.front();
  } else if (const nlohmann::json* eos = json_find(settings, "eos_token"); eos && eos->is_string()) {
    tok.eos_ = json.token_id(eos->get<std::string>());
  }
  return tok;
}

std::vector<int64_t> Tokenizer::encode(const std::string& text) const {
  if (impl_->json) return impl_->json->encode(text);
  std::vector<int> ids;
  const auto status = impl_->processor.Encode(text, &ids);
  if (!status.ok()) throw_runtime("tokenizer: " + status.ToString());
  return {ids.begin(), ids.end()};
}

std::string Tokenizer::decode(const std::vector<int64_t>& ids) const {
  if (impl_->json) return impl_->json->decode(ids);
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

std::string Tokenizer::kind() const {
  return impl_->json ? "BPE tokenizer.json" : "sentencepiece tokenizer.model";
}

std::string Tokenizer::piece(int64_t id) const {
  if (id < 0 || id >= vocab_size())
    throw_bad_input("token id " + std::to_string(id) + " is outside the vocabulary");
  return impl_->json ? impl_->json->token(id) : impl_->processor.IdToPiece(static_cast<int>(id));
}

int64_t Tokenizer::vocab_size() const {
  if (impl_->json) return impl_->json->vocab_size();
  return impl_->processor.GetPieceSize();
}

}  // namespace llmdrop
