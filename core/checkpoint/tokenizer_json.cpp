#include "checkpoint/tokenizer_json.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <queue>
#include <tuple>
#include <unordered_map>

#include "util/error.h"
#include "util/input.h"
#include "util/regex.h"
#include "util/utf8.h"

namespace llmdrop {

namespace {

using json = nlohmann::json;

// The characters of `text`, each as its bytes (an invalid byte alone).
std::vector<std::string_view> characters(std::string_view text) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < text.size();) {
    const size_t n = std::max<size_t>(1, utf8_length(text, i));
    out.push_back(text.substr(i, n));
    i += n;
  }
  return out;
}

std::string utf8(uint32_t code_point) {
  std::string out;
  append_utf8(out, code_point);
  return out;
}

// ByteLevel's alphabet (GPT-2's bytes_to_unicode): printable bytes stand for themselves, the others for
// U+0100 onwards.
struct ByteAlphabet {
  std::string of_byte[256];
  std::unordered_map<std::string, unsigned char> byte_of;
  ByteAlphabet() {
    uint32_t extra = 0;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
      of_byte[b] = utf8(printable ? b : 256 + extra++);
      byte_of[of_byte[b]] = static_cast<unsigned char>(b);
    }
  }
};
const ByteAlphabet& byte_alphabet() {
  static const ByteAlphabet alphabet;
  return alphabet;
}

// GPT-2's split, which ByteLevel's use_regex applies.
constexpr const char* kByteLevelRegex =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  std::string out;  // built once: replacing in place moves the tail at every hit (quadratic on a long text)
  size_t at = 0;
  for (size_t hit = text.find(from); hit != std::string::npos; hit = text.find(from, at)) {
    out.append(text, at, hit - at);
    out += to;
    at = hit + from.size();
  }
  if (at == 0) return;  // no hit
  out.append(text, at);
  text = std::move(out);
}

// A pattern matching `text` literally.
Regex literal_regex(const std::string& text, const std::string& where) {
  std::string escaped;
  for (const char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) escaped += '\\';
    escaped += c;
  }
  return Regex::compile(escaped, where);
}

// The fields of tokenizer.json read through the input layer's typed readers: a wrong or missing value is
// BadInput "FILE: PATH …".
class Reader {
 public:
  explicit Reader(std::string where) : where_(std::move(where)) {}
  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw_bad_input(where_ + ": " + path + " " + what);
  }
  const json& field(const json& node, const std::string& path, const char* key) const {
    return json_field(node, key, where_ + ": " + path);
  }
  std::string string(const json& node, const std::string& path, const char* key) const {
    return json_string(field(node, path, key), where_ + ": " + path + "." + key);
  }
  bool boolean(const json& node, const std::string& path, const char* key, bool otherwise) const {
    const json* value = json_find(node, key);
    return value ? json_bool(*value, where_ + ": " + path + "." + key) : otherwise;
  }
  int64_t integer(const json& node, const std::string& path, const char* key, int64_t min,
                  int64_t max) const {
    return json_int(field(node, path, key), where_ + ": " + path + "." + key, min, max);
  }
  // A pattern {"String": s} or {"Regex": r}: the regex itself, a literal string escaped.
  Regex pattern(const json& node, const std::string& path) const {
    const json& p = field(node, path, "pattern");
    if (p.is_object() && p.contains("String") && p["String"].is_string())
      return literal_regex(p["String"].get<std::string>(), where_ + ": " + path + ".pattern");
    if (p.is_object() && p.contains("Regex") && p["Regex"].is_string())
      return Regex::compile(p["Regex"].get<std::string>(), where_ + ": " + path + ".pattern");
    fail(path + ".pattern", "must be {\"String\": …} or {\"Regex\": …}");
  }
  const std::string& where() const { return where_; }

 private:
  std::string where_;
};

// A text segment and whether a pattern matched it.
struct Segment {
  std::string_view text;
  bool matched;
};

std::vector<Segment> segments(std::string_view text, const Regex& regex, bool invert) {
  std::vector<Segment> out;
  size_t at = 0;
  for (const auto& [begin, end] : regex.spans(text)) {
    if (begin > at) out.push_back({text.substr(at, begin - at), invert});
    if (end > begin) out.push_back({text.substr(begin, end - begin), !invert});
    at = end;
  }
  if (at < text.size()) out.push_back({text.substr(at), invert});
  return out;
}

enum class Behavior { removed, isolated, merged_with_previous, merged_with_next, contiguous };

// `text` cut at a pattern's matches as tokenizers' SplitDelimiterBehavior says (its folds over the
// segments, written again); no empty pieces.
std::vector<std::string> split(std::string_view text, const Regex& regex, Behavior behavior, bool invert) {
  std::vector<Segment> parts = segments(text, regex, invert);
  if (behavior == Behavior::merged_with_next) std::reverse(parts.begin(), parts.end());
  std::vector<std::string> pieces;
  bool previous_match = false;
  for (const Segment& s : parts) {
    bool join = false;  // with the piece before (in the fold's order)
    switch (behavior) {
      case Behavior::removed:
        if (s.matched) continue;
        break;
      case Behavior::isolated:
        break;
      case Behavior::merged_with_previous:
      case Behavior::merged_with_next:
        join = s.matched && !previous_match && !pieces.empty();
        break;
      case Behavior::contiguous:
        join = s.matched == previous_match && !pieces.empty();
        break;
    }
    if (!join)
      pieces.emplace_back(s.text);
    else if (behavior == Behavior::merged_with_next)
      pieces.back().insert(0, s.text);
    else
      pieces.back() += s.text;
    previous_match = s.matched;
  }
  if (behavior == Behavior::merged_with_next) std::reverse(pieces.begin(), pieces.end());
  return pieces;
}

Behavior parse_behavior(const std::string& name, const Reader& r, const std::string& path) {
  if (name == "Removed") return Behavior::removed;
  if (name == "Isolated") return Behavior::isolated;
  if (name == "MergedWithPrevious") return Behavior::merged_with_previous;
  if (name == "MergedWithNext") return Behavior::merged_with_next;
  if (name == "Contiguous") return Behavior::contiguous;
  r.fail(path + ".behavior", "'" + name + "' is not a split behavior");
}

using Normalizer = std::function<void(std::string&)>;
// A piece of text → its words; `at_start`: the piece begins the whole input (Metaspace's "first" scheme).
using PreTokenizer = std::function<std::vector<std::string>(const std::string&, bool at_start)>;
using Decoder = std::function<void(std::vector<std::string>&)>;

// The steps of a Sequence node: its list `key`, each element parsed by `parse`.
template <class Step>
std::vector<Step> parse_steps(const json& node, const Reader& r, const std::string& path, const char* key,
                              Step (*parse)(const json&, const Reader&, const std::string&)) {
  const json& list = r.field(node, path, key);
  if (!list.is_array()) r.fail(path + "." + key, "must be a list");
  std::vector<Step> steps;
  for (size_t i = 0; i < list.size(); ++i)
    steps.push_back(parse(list[i], r, path + "." + key + "[" + std::to_string(i) + "]"));
  return steps;
}

// tokenizers' Lowercase: Rust's char::to_lowercase on each character, its full mapping (İ becomes i + U+0307)
// and no context (a final Σ becomes σ, not ς).
std::string lowercase(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    utf8proc_int32_t c = 0;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                    static_cast<utf8proc_ssize_t>(s.size() - i), &c);
    if (n <= 0) throw_bad_input("the text is not valid UTF-8 (byte " + std::to_string(i) + ")");
    if (c == 0x130)
      out += "i\xCC\x87";
    else
      append_utf8(out, static_cast<uint32_t>(utf8proc_tolower(c)));
    i += static_cast<size_t>(n);
  }
  return out;
}

Normalizer parse_normalizer(const json& node, const Reader& r, const std::string& path) {
  const std::string type = r.string(node, path, "type");
  if (type == "Sequence") {
    const auto steps = parse_steps<Normalizer>(node, r, path, "normalizers", parse_normalizer);
    return [steps](std::string& s) {
      for (const auto& step : steps) step(s);
    };
  }
  if (type == "Prepend") {
    return [prepend = r.string(node, path, "prepend")](std::string& s) {
      if (!s.empty()) s = prepend + s;
    };
  }
  if (type == "Replace") {
    return [regex = r.pattern(node, path), content = r.string(node, path, "content")](std::string& s) {
      s = regex.replace_all(s, Regex::Replacement{{{content, -1}}});
    };
  }
  if (type == "NFC" || type == "NFKC") {
    return [compatible = type == "NFKC"](std::string& s) {
      utf8proc_uint8_t* out = nullptr;
      const auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                          (compatible ? UTF8PROC_COMPAT : 0));
      const utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                                              static_cast<utf8proc_ssize_t>(s.size()), &out, options);
      if (n < 0) throw_bad_input(std::string("the text cannot be normalized: ") + utf8proc_errmsg(n));
      s.assign(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
      std::free(out);
    };
  }
  if (type == "Lowercase") return [](std::string& s) { s = lowercase(s); };
  if (type == "Strip") {
    const bool left = r.boolean(node, path, "strip_left", true),
               right = r.boolean(node, path, "strip_right", true);
    const Regex ends = Regex::compile(left && right ? R"(^\s+|\s+$)"
                                      : left        ? R"(^\s+)"
                                                    : R"(\s+$)",
                                      r.where());
    return [ends, any = left || right](std::string& s) {
      if (any) s = ends.replace_all(s, Regex::Replacement{});
    };
  }
  r.fail(path, "is a normalizer of type '" + type + "', which is not supported");
}

struct Metaspace {
  std::string replacement;
  enum Scheme { always, first, never } scheme = always;
  bool split = true;
};

// Metaspace's fields, shared by its pre-tokenizer and its decoder: prepend_scheme, or the older
// add_prefix_space.
Metaspace parse_metaspace(const json& node, const Reader& r, const std::string& path) {
  Metaspace m;
  m.replacement = r.string(node, path, "replacement");
  if (utf8_length(m.replacement, 0) != m.replacement.size() || m.replacement.empty())
    r.fail(path + ".replacement", "must be one character");
  if (node.contains("prepend_scheme")) {
    const std::string scheme = r.string(node, path, "prepend_scheme");
    if (scheme == "always")
      m.scheme = Metaspace::always;
    else if (scheme == "first")
      m.scheme = Metaspace::first;
    else if (scheme == "never")
      m.scheme = Metaspace::never;
    else
      r.fail(path + ".prepend_scheme", "must be always, first or never, not '" + scheme + "'");
  } else {
    m.scheme = r.boolean(node, path, "add_prefix_space", true) ? Metaspace::always : Metaspace::never;
  }
  m.split = r.boolean(node, path, "split", true);
  return m;
}

PreTokenizer parse_pre_tokenizer(const json& node, const Reader& r, const std::string& path) {
  const std::string type = r.string(node, path, "type");
  if (type == "Sequence") {
    const auto steps = parse_steps<PreTokenizer>(node, r, path, "pretokenizers", parse_pre_tokenizer);
    return [steps](const std::string& text, bool at_start) {
      std::vector<std::string> pieces{text};
      for (const auto& step : steps) {
        std::vector<std::string> next;
        for (size_t i = 0; i < pieces.size(); ++i)
          for (auto& q : step(pieces[i], at_start && i == 0)) next.push_back(std::move(q));
        pieces = std::move(next);
      }
      return pieces;
    };
  }
  if (type == "ByteLevel") {
    const bool prefix = r.boolean(node, path, "add_prefix_space", true);
    std::optional<Regex> regex;
    if (r.boolean(node, path, "use_regex", true)) regex = Regex::compile(kByteLevelRegex, r.where());
    return [prefix, regex](const std::string& text, bool) {
      const std::string spaced = prefix && !text.empty() && text[0] != ' ' ? " " + text : text;
      std::vector<std::string> pieces =
          regex ? split(spaced, *regex, Behavior::isolated, false) : std::vector<std::string>{spaced};
      const ByteAlphabet& alphabet = byte_alphabet();
      for (auto& p : pieces) {
        std::string mapped;
        for (const char c : p) mapped += alphabet.of_byte[static_cast<unsigned char>(c)];
        p = std::move(mapped);
      }
      return pieces;
    };
  }
  if (type == "Split") {
    const Regex regex = r.pattern(node, path);
    const Behavior behavior = parse_behavior(r.string(node, path, "behavior"), r, path);
    const bool invert = r.boolean(node, path, "invert", false);
    return [regex, behavior, invert](const std::string& text, bool) {
      return split(text, regex, behavior, invert);
    };
  }
  if (type == "Digits") {
    const Regex digit = Regex::compile(R"(\p{N})", r.where());
    const Behavior behavior =
        r.boolean(node, path, "individual_digits", false) ? Behavior::isolated : Behavior::contiguous;
    return [digit, behavior](const std::string& text, bool) { return split(text, digit, behavior, false); };
  }
  if (type == "Metaspace") {
    // Spaces become the replacement, one is prepended (always, or only to the input's first piece), and the
    // words start at each replacement.
    const Metaspace m = parse_metaspace(node, r, path);
    const Regex marker = literal_regex(m.replacement, r.where());
    return [m, marker](const std::string& text, bool at_start) {
      std::string s = text;
      replace_all(s, " ", m.replacement);
      const bool prepend = m.scheme == Metaspace::always || (m.scheme == Metaspace::first && at_start);
      if (prepend && s.compare(0, m.replacement.size(), m.replacement) != 0) s.insert(0, m.replacement);
      return m.split ? split(s, marker, Behavior::merged_with_next, false) : std::vector<std::string>{s};
    };
  }
  r.fail(path, "is a pre-tokenizer of type '" + type + "', which is not supported");
}

// tokenizers' ByteFallback: a run of "<0xXX>" tokens becomes the text of its bytes, or U+FFFD per byte when
// they are not valid UTF-8.
void byte_fallback(std::vector<std::string>& tokens) {
  std::vector<std::string> out;
  std::string bytes;
  size_t byte_tokens = 0;
  auto flush = [&] {
    if (byte_tokens == 0) return;
    if (is_valid_utf8(bytes)) {
      out.push_back(bytes);
    } else {
      for (size_t i = 0; i < byte_tokens; ++i) out.push_back("\xEF\xBF\xBD");
    }
    bytes.clear();
    byte_tokens = 0;
  };
  for (auto& t : tokens) {
    unsigned value = 0;
    if (t.size() == 6 && t.compare(0, 3, "<0x") == 0 && t[5] == '>' &&
        std::sscanf(t.c_str() + 3, "%2x", &value) == 1 && std::isxdigit(static_cast<unsigned char>(t[3])) &&
        std::isxdigit(static_cast<unsigned char>(t[4]))) {
      bytes += static_cast<char>(value);
      ++byte_tokens;
    } else {
      flush();
      out.push_back(std::move(t));
    }
  }
  flush();
  tokens = std::move(out);
}

Decoder parse_decoder(const json& node, const Reader& r, const std::string& path) {
  const std::string type = r.string(node, path, "type");
  if (type == "Sequence") {
    const auto steps = parse_steps<Decoder>(node, r, path, "decoders", parse_decoder);
    return [steps](std::vector<std::string>& tokens) {
      for (const auto& step : steps) step(tokens);
    };
  }
  if (type == "ByteLevel") {
    return [](std::vector<std::string>& tokens) {
      const ByteAlphabet& alphabet = byte_alphabet();
      std::string bytes;
      for (const auto& t : tokens) {
        std::string mapped;
        bool all = true;
        for (const auto c : characters(t)) {
          const auto it = alphabet.byte_of.find(std::string(c));
          if (it == alphabet.byte_of.end()) {
            all = false;
            break;
          }
          mapped += static_cast<char>(it->second);
        }
        bytes += all ? mapped : t;  // a token outside the alphabet stands for its own bytes
      }
      std::string repaired;  // lossy: an invalid byte becomes U+FFFD
      const std::string text(valid_utf8(bytes, repaired));
      tokens = {text};
    };
  }
  if (type == "Replace") {
    const json& p = r.field(node, path, "pattern");
    if (!p.is_object() || !p.contains("String") || !p["String"].is_string())
      r.fail(path + ".pattern", "must be {\"String\": …} in a decoder");
    return [from = p["String"].get<std::string>(),
            to = r.string(node, path, "content")](std::vector<std::string>& tokens) {
      for (auto& t : tokens) replace_all(t, from, to);
    };
  }
  if (type == "ByteFallback") return byte_fallback;
  if (type == "Metaspace") {
    // The replacement reads as a space again; in the first token it is dropped unless nothing was prepended.
    return [m = parse_metaspace(node, r, path)](std::vector<std::string>& tokens) {
      for (size_t i = 0; i < tokens.size(); ++i)
        replace_all(tokens[i], m.replacement, i == 0 && m.scheme != Metaspace::never ? "" : " ");
    };
  }
  if (type == "Fuse") {
    return [](std::vector<std::string>& tokens) {
      std::string all;
      for (const auto& t : tokens) all += t;
      tokens = {all};
    };
  }
  if (type == "Strip") {
    const std::string content = r.string(node, path, "content");
    const int64_t start = r.integer(node, path, "start", 0, 1 << 20),
                  stop = r.integer(node, path, "stop", 0, 1 << 20);
    return [content, start, stop](std::vector<std::string>& tokens) {
      for (auto& t : tokens) {
        for (int64_t i = 0; i < start && t.compare(0, content.size(), content) == 0; ++i)
          t.erase(0, content.size());
        for (int64_t i = 0; i < stop && t.size() >= content.size() &&
                            t.compare(t.size() - content.size(), content.size(), content) == 0;
             ++i)
          t.erase(t.size() - content.size());
      }
    };
  }
  r.fail(path, "is a decoder of type '" + type + "', which is not supported");
}

// Rust's char::is_whitespace (Unicode's White_Space), what an added token's lstrip / rstrip strip.
bool is_white_space(utf8proc_int32_t c) {
  return (c >= 0x9 && c <= 0xD) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}
utf8proc_int32_t code_point(std::string_view s, size_t at, size_t n) {
  utf8proc_int32_t c = -1;
  utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + at), static_cast<utf8proc_ssize_t>(n),
                   &c);
  return c;
}
// Bytes of white space that `s` (valid UTF-8) ends with / begins with.
size_t trailing_white_space(std::string_view s) {
  size_t end = s.size();
  while (end > 0) {
    size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    if (!is_white_space(code_point(s, start, end - start))) break;
    end = start;
  }
  return s.size() - end;
}
size_t leading_white_space(std::string_view s) {
  size_t at = 0;
  while (at < s.size()) {
    const size_t n = utf8_length(s, at);
    if (n == 0 || !is_white_space(code_point(s, at, n))) break;
    at += n;
  }
  return at;
}

struct AddedToken {
  std::string content;
  std::string pattern;  // what is matched: the content, normalized for a `normalized` token
  int64_t id = 0;
  bool special = false, lstrip = false, rstrip = false, single_word = false, normalized = false;
};

// Ranked BPE merges over the pieces of one word, with a per-word cache.
class BpeModel {
 public:
  std::unordered_map<std::string, int64_t> vocab;
  std::optional<int64_t> unk;
  bool byte_fallback = false, fuse_unk = false, ignore_merges = false;

  void add_merge(int64_t left, int64_t right, int64_t rank, int64_t merged) {
    merges_[key(left, right)] = {rank, merged};
  }

  std::vector<int64_t> word(const std::string& text) const {
    {
      const std::lock_guard lock(cache_mutex_);
      if (const auto it = cache_.find(text); it != cache_.end()) return it->second;
    }
    std::vector<int64_t> ids = split(text);
    if (text.size() > kCachedWordBytes) return ids;  // a long word (a whole text) would fill the cache
    const std::lock_guard lock(cache_mutex_);
    if (cache_.size() > kCacheWords) cache_.clear();
    cache_.emplace(text, ids);
    return ids;
  }

 private:
  static constexpr size_t kCacheWords = 100000, kCachedWordBytes = 256;
  static uint64_t key(int64_t a, int64_t b) {
    return (static_cast<uint64_t>(a) << 32) | static_cast<uint32_t>(b);
  }

  std::vector<int64_t> split(const std::string& text) const {
    if (ignore_merges)
      if (const auto it = vocab.find(text); it != vocab.end()) return {it->second};
    std::vector<int64_t> symbols;
    bool last_unk = false;
    for (const auto c : characters(text)) {
      if (const auto it = vocab.find(std::string(c)); it != vocab.end()) {
        symbols.push_back(it->second);
        last_unk = false;
        continue;
      }
      if (byte_fallback) {
        std::vector<int64_t> bytes;
        for (const char b : c) {
          char name[8];
          std::snprintf(name, sizeof name, "<0x%02X>", static_cast<unsigned char>(b));
          if (const auto it = vocab.find(name); it != vocab.end()) bytes.push_back(it->second);
        }
        if (bytes.size() == c.size()) {
          symbols.insert(symbols.end(), bytes.begin(), bytes.end());
          last_unk = false;
          continue;
        }
      }
      if (!unk) continue;  // as tokenizers: a character without a piece and no unknown token is dropped
      if (!(fuse_unk && last_unk)) symbols.push_back(*unk);
      last_unk = true;
    }
    return merge_all(symbols);
  }

  // The lowest-ranked adjacent pair merges first (the leftmost among equals), until none merges: the symbols
  // as a linked list and the candidate merges in a heap, so a word of n symbols takes O(n log n) (a
  // SentencePiece-style tokenizer has no pre-tokenizer: a whole text is one word).
  std::vector<int64_t> merge_all(const std::vector<int64_t>& ids) const {
    struct Node {
      int64_t id;
      int64_t prev, next;  // -1: none
      bool alive = true;
    };
    const auto n = static_cast<int64_t>(ids.size());
    std::vector<Node> nodes;
    nodes.reserve(ids.size());
    for (int64_t i = 0; i < n; ++i)
      nodes.push_back({ids[static_cast<size_t>(i)], i - 1, i + 1 < n ? i + 1 : -1});
    using Candidate = std::tuple<int64_t, int64_t, int64_t>;  // rank, position of the left symbol, merged id
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
    auto consider = [&](int64_t at) {
      if (at < 0 || nodes[static_cast<size_t>(at)].next < 0) return;
      const Node& left = nodes[static_cast<size_t>(at)];
      const auto it = merges_.find(key(left.id, nodes[static_cast<size_t>(left.next)].id));
      if (it != merges_.end()) heap.emplace(it->second.rank, at, it->second.merged);
    };
    for (int64_t i = 0; i + 1 < n; ++i) consider(i);
    while (!heap.empty()) {
      const auto [rank, at, merged] = heap.top();
      heap.pop();
      Node& left = nodes[static_cast<size_t>(at)];
      if (!left.alive || left.next < 0) continue;
      Node& right = nodes[static_cast<size_t>(left.next)];
      const auto it = merges_.find(key(left.id, right.id));
      if (it == merges_.end() || it->second.rank != rank || it->second.merged != merged) continue;  // stale
      left.id = merged;
      right.alive = false;
      left.next = right.next;
      if (right.next >= 0) nodes[static_cast<size_t>(right.next)].prev = at;
      consider(left.prev);
      consider(at);
    }
    std::vector<int64_t> out;
    for (const Node& node : nodes)
      if (node.alive) out.push_back(node.id);
    return out;
  }

  struct Merge {
    int64_t rank, merged;
  };
  std::unordered_map<uint64_t, Merge> merges_;
  mutable std::mutex cache_mutex_;
  mutable std::unordered_map<std::string, std::vector<int64_t>> cache_;
};

}  // namespace

struct TokenizerJson::Impl {
  BpeModel model;
  std::vector<std::string> token_of;  // id → piece or added token
  // A normalized added token decodes to its normalized content (tokenizers 0.23: "Foo Bar" under Lowercase
  // decodes to "foo bar").
  std::map<int64_t, std::string> decoded_added;
  std::vector<AddedToken> added;  // longest first
  std::vector<bool> special;      // by id
  std::optional<Normalizer> normalizer;
  std::optional<PreTokenizer> pre_tokenizer;
  std::optional<Decoder> decoder;
  std::vector<int64_t> prefix, suffix;  // the post-processor's special tokens around a text
  std::optional<Regex> word_character;
  std::array<std::array<bool, 256>, 2>
      starts{};  // [normalized][byte]: an added token's pattern starts with it

  // `text` cut into added tokens (ids) and the pieces between them, for the tokens `normalized` selects.
  struct Part {
    std::string text;
    std::optional<int64_t> id;
  };
  std::vector<Part> cut_added(const std::string& text, bool normalized) const {
    std::vector<Part> parts;
    std::string pending;
    size_t i = 0;
    // Whether the character before `at` (before) or at `at` (after) is a word character.
    auto word_character_at = [&](size_t at, bool before) {
      if (before) {
        if (at == 0) return false;
        --at;
        while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
      } else if (at >= text.size()) {
        return false;
      }
      const size_t n = std::max<size_t>(1, utf8_length(text, at));
      return word_character->search(std::string_view(text).substr(at, n)).has_value();
    };
    while (i < text.size()) {
      // Up to the next byte a pattern starts with (a lead byte: the text between stays whole characters).
      size_t next = i;
      while (next < text.size() && !starts[normalized][static_cast<unsigned char>(text[next])]) ++next;
      pending.append(text, i, next - i);
      i = next;
      if (i == text.size()) break;
      const AddedToken* found = nullptr;
      for (const auto& a : added) {
        if (a.normalized != normalized || a.pattern.empty() ||
            text.compare(i, a.pattern.size(), a.pattern) != 0)
          continue;
        if (a.single_word && (word_character_at(i, true) || word_character_at(i + a.pattern.size(), false)))
          continue;
        found = &a;
        break;
      }
      if (!found) {
        const size_t n = std::max<size_t>(1, utf8_length(text, i));
        pending.append(text, i, n);
        i += n;
        continue;
      }
      if (found->lstrip) pending.resize(pending.size() - trailing_white_space(pending));
      if (!pending.empty()) parts.push_back({std::move(pending), std::nullopt});
      pending.clear();
      parts.push_back({found->content, found->id});
      i += found->pattern.size();
      if (found->rstrip) i += leading_white_space(std::string_view(text).substr(i));
    }
    if (!pending.empty()) parts.push_back({std::move(pending), std::nullopt});
    return parts;
  }
};

TokenizerJson::TokenizerJson() : impl_(std::make_unique<Impl>()) {}
TokenizerJson::~TokenizerJson() = default;
TokenizerJson::TokenizerJson(TokenizerJson&&) noexcept = default;
TokenizerJson& TokenizerJson::operator=(TokenizerJson&&) noexcept = default;

TokenizerJson TokenizerJson::open(const std::filesystem::path& file) {
  return parse(read_file(file, kMaxMetadataBytes), file.string());
}

TokenizerJson TokenizerJson::parse(std::string_view json_text, const std::string& where) {
  const json root = parse_json(json_text, where);
  const Reader r(where);
  TokenizerJson t;
  Impl& impl = *t.impl_;

  const json& model = r.field(root, "tokenizer", "model");
  const std::string type = model.is_object() && model.contains("type") && model["type"].is_string()
                               ? model["type"].get<std::string>()
                               : "BPE";  // older files leave out the BPE model's type
  if (type != "BPE") r.fail("model", "is of type '" + type + "': only BPE tokenizers are supported");
  if (model.contains("dropout") && !model["dropout"].is_null())
    r.fail("model.dropout", "is set: BPE dropout (random segmentation) is not supported");
  for (const char* field : {"continuing_subword_prefix", "end_of_word_suffix"})
    if (model.contains(field) && !model[field].is_null() && model[field] != "")
      r.fail(std::string("model.") + field, "is set, which is not supported");
  const json& vocab = r.field(model, "model", "vocab");
  if (!vocab.is_object()) r.fail("model.vocab", "must be an object of piece: id");
  for (const auto& [piece, id] : vocab.items()) {
    if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() >= (int64_t{1} << 31))
      r.fail("model.vocab", "gives '" + piece + "' an id that is not an integer in [0, 2^31)");
    impl.model.vocab[piece] = id.get<int64_t>();
  }
  impl.model.byte_fallback = r.boolean(model, "model", "byte_fallback", false);
  impl.model.fuse_unk = r.boolean(model, "model", "fuse_unk", false);
  impl.model.ignore_merges = r.boolean(model, "model", "ignore_merges", false);
  if (model.contains("unk_token") && !model["unk_token"].is_null()) {
    const std::string unk = r.string(model, "model", "unk_token");
    const auto it = impl.model.vocab.find(unk);
    if (it == impl.model.vocab.end()) r.fail("model.unk_token", "'" + unk + "' is not in the vocabulary");
    impl.model.unk = it->second;
  }
  const json& merges = r.field(model, "model", "merges");
  if (!merges.is_array()) r.fail("model.merges", "must be a list");
  auto id_of = [&](const std::string& piece, size_t rank) {
    const auto it = impl.model.vocab.find(piece);
    if (it == impl.model.vocab.end())
      r.fail("model.merges[" + std::to_string(rank) + "]",
             "names '" + piece + "', which is not in the vocabulary");
    return it->second;
  };
  for (size_t rank = 0; rank < merges.size(); ++rank) {
    const json& m = merges[rank];
    std::string left, right;
    if (m.is_string()) {  // "a b"
      const std::string s = m.get<std::string>();
      const size_t space = s.find(' ', 1);
      if (space == std::string::npos) r.fail("model.merges[" + std::to_string(rank) + "]", "must be \"a b\"");
      left = s.substr(0, space), right = s.substr(space + 1);
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {  // ["a", "b"]
      left = m[0].get<std::string>(), right = m[1].get<std::string>();
    } else {
      r.fail("model.merges[" + std::to_string(rank) + "]", "must be \"a b\" or [\"a\", \"b\"]");
    }
    const int64_t a = id_of(left, rank), b = id_of(right, rank), merged = id_of(left + right, rank);
    impl.model.add_merge(a, b, static_cast<int64_t>(rank), merged);
  }

  int64_t size = 0;
  for (const auto& [piece, id] : impl.model.vocab) size = std::max(size, id + 1);
  if (root.contains("added_tokens") && !root["added_tokens"].is_null()) {
    const json& list = root["added_tokens"];
    if (!list.is_array()) r.fail("added_tokens", "must be a list");
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string path = "added_tokens[" + std::to_string(i) + "]";
      AddedToken a;
      a.content = r.string(list[i], path, "content");
      a.id = r.integer(list[i], path, "id", 0, (int64_t{1} << 31) - 1);
      a.special = r.boolean(list[i], path, "special", false);
      a.lstrip = r.boolean(list[i], path, "lstrip", false);
      a.rstrip = r.boolean(list[i], path, "rstrip", false);
      a.single_word = r.boolean(list[i], path, "single_word", false);
      a.normalized = r.boolean(list[i], path, "normalized", !a.special);
      size = std::max(size, a.id + 1);
      impl.added.push_back(std::move(a));
    }
  }
  impl.token_of.assign(static_cast<size_t>(size), "");
  impl.special.assign(static_cast<size_t>(size), false);
  for (const auto& [piece, id] : impl.model.vocab) impl.token_of[static_cast<size_t>(id)] = piece;
  for (const auto& a : impl.added) {
    impl.token_of[static_cast<size_t>(a.id)] = a.content;
    impl.special[static_cast<size_t>(a.id)] = a.special;
  }
  impl.word_character = Regex::compile(R"(\w)", where);

  if (root.contains("normalizer") && !root["normalizer"].is_null())
    impl.normalizer = parse_normalizer(root["normalizer"], r, "normalizer");
  // A normalized token is matched in the normalized text, so by its normalized content (as tokenizers
  // builds its matcher); the longest match wins.
  for (auto& a : impl.added) {
    a.pattern = a.content;
    if (a.normalized && impl.normalizer) {
      (*impl.normalizer)(a.pattern);
      impl.decoded_added[a.id] = a.pattern;
    }
    if (!a.pattern.empty()) impl.starts[a.normalized][static_cast<unsigned char>(a.pattern[0])] = true;
  }
  std::stable_sort(impl.added.begin(), impl.added.end(), [](const AddedToken& a, const AddedToken& b) {
    return a.pattern.size() > b.pattern.size();
  });
  if (root.contains("pre_tokenizer") && !root["pre_tokenizer"].is_null())
    impl.pre_tokenizer = parse_pre_tokenizer(root["pre_tokenizer"], r, "pre_tokenizer");
  if (root.contains("decoder") && !root["decoder"].is_null())
    impl.decoder = parse_decoder(root["decoder"], r, "decoder");
  if (root.contains("post_processor") && !root["post_processor"].is_null()) {
    std::function<void(const json&, const std::string&)> post = [&](const json& node,
                                                                    const std::string& path) {
      const std::string kind = r.string(node, path, "type");
      if (kind == "ByteLevel") return;  // offsets only
      if (kind == "Sequence") {
        const json& list = r.field(node, path, "processors");
        if (!list.is_array()) r.fail(path + ".processors", "must be a list");
        for (size_t i = 0; i < list.size(); ++i)
          post(list[i], path + ".processors[" + std::to_string(i) + "]");
        return;
      }
      if (kind != "TemplateProcessing")
        r.fail(path, "is a post-processor of type '" + kind + "', which is not supported");
      const json& single = r.field(node, path, "single");
      const json& specials = r.field(node, path, "special_tokens");
      if (!single.is_array()) r.fail(path + ".single", "must be a list");
      bool after = false;
      for (size_t i = 0; i < single.size(); ++i) {
        const std::string item = path + ".single[" + std::to_string(i) + "]";
        if (single[i].contains("Sequence")) {
          after = true;
          continue;
        }
        const std::string name =
            r.string(r.field(single[i], item, "SpecialToken"), item + ".SpecialToken", "id");
        const json& ids = r.field(r.field(specials, path + ".special_tokens", name.c_str()),
                                  path + ".special_tokens." + name, "ids");
        if (!ids.is_array()) r.fail(path + ".special_tokens." + name + ".ids", "must be a list");
        for (const auto& id : ids) {
          if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() >= size)
            r.fail(path + ".special_tokens." + name + ".ids", "must be ids of the vocabulary");
          (after ? impl.suffix : impl.prefix).push_back(id.get<int64_t>());
        }
      }
    };
    post(root["post_processor"], "post_processor");
  }
  return t;
}

std::vector<int64_t> TokenizerJson::encode(std::string_view text, bool add_special_tokens) const {
  for (size_t i = 0; i < text.size(); i += utf8_length(text, i))
    if (utf8_length(text, i) == 0)
      throw_bad_input("the text is not valid UTF-8 (byte " + std::to_string(i) + ")");
  const Impl& impl = *impl_;
  std::vector<int64_t> ids;
  if (add_special_tokens) ids = impl.prefix;
  bool at_start = true;  // no piece or added token came before
  for (const auto& raw : impl.cut_added(std::string(text), /*normalized=*/false)) {
    if (raw.id) {
      ids.push_back(*raw.id);
      at_start = false;
      continue;
    }
    std::string normalized = raw.text;
    if (impl.normalizer) (*impl.normalizer)(normalized);
    for (const auto& part : impl.cut_added(normalized, /*normalized=*/true)) {
      if (part.id) {
        ids.push_back(*part.id);
      } else {
        const std::vector<std::string> words = impl.pre_tokenizer ? (*impl.pre_tokenizer)(part.text, at_start)
                                                                  : std::vector<std::string>{part.text};
        for (const auto& w : words)
          for (const int64_t id : impl.model.word(w)) ids.push_back(id);
      }
      at_start = false;
    }
  }
  if (add_special_tokens) ids.insert(ids.end(), impl.suffix.begin(), impl.suffix.end());
  return ids;
}

std::string TokenizerJson::decode(const std::vector<int64_t>& ids, bool skip_special_tokens) const {
  const Impl& impl = *impl_;
  std::vector<std::string> tokens;
  for (const int64_t id : ids) {
    if (id < 0 || id >= static_cast<int64_t>(impl.token_of.size()))
      throw_bad_input("token id " + std::to_string(id) + " is outside the vocabulary of " +
                      std::to_string(impl.token_of.size()));
    if (skip_special_tokens && impl.special[static_cast<size_t>(id)]) continue;
    const auto normalized = impl.decoded_added.find(id);
    tokens.push_back(normalized != impl.decoded_added.end() ? normalized->second
                                                            : impl.token_of[static_cast<size_t>(id)]);
  }
  if (!impl.decoder) {
    std::string joined;
    for (size_t i = 0; i < tokens.size(); ++i) joined += (i ? " " : "") + tokens[i];
    return joined;
  }
  (*impl.decoder)(tokens);
  std::string text;
  for (const auto& t : tokens) text += t;
  return text;
}

int64_t TokenizerJson::vocab_size() const {
  return static_cast<int64_t>(impl_->token_of.size());
}

std::string TokenizerJson::token(int64_t id) const {
  if (id < 0 || id >= vocab_size())
    throw_bad_input("token id " + std::to_string(id) + " is outside the vocabulary of " +
                    std::to_string(vocab_size()));
  return impl_->token_of[static_cast<size_t>(id)];
}

std::optional<int64_t> TokenizerJson::token_id(const std::string& token) const {
  for (const auto& a : impl_->added)
    if (a.content == token) return a.id;
  if (const auto it = impl_->model.vocab.find(token); it != impl_->model.vocab.end()) return it->second;
  return std::nullopt;
}

}  // namespace llmdrop
