#include "eval/text_ops.h"

#include <nlohmann/json.hpp>

#include <map>

#include "util/error.h"

namespace llmdrop::text {

namespace {

// Decodes the UTF-8 code point at s[i]; sets `len` to its byte length (1 for invalid bytes).
uint32_t decode(const std::string& s, size_t i, size_t& len) {
  const auto c = static_cast<unsigned char>(s[i]);
  auto cont = [&](size_t k) { return static_cast<unsigned char>(s[i + k]) & 0x3Fu; };
  auto ok = [&](size_t n) {
    if (i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0u) != 0x80u) return false;
    return true;
  };
  if (c < 0x80) return len = 1, c;
  if ((c & 0xE0) == 0xC0 && ok(2)) return len = 2, ((c & 0x1Fu) << 6) | cont(1);
  if ((c & 0xF0) == 0xE0 && ok(3)) return len = 3, ((c & 0x0Fu) << 12) | (cont(1) << 6) | cont(2);
  if ((c & 0xF8) == 0xF0 && ok(4))
    return len = 4, ((c & 0x07u) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
  return len = 1, c;
}

// Python's str.isspace().
bool is_space(uint32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

size_t space_prefix(const std::string& s, size_t i) {
  size_t len = 0;
  while (i < s.size() && is_space(decode(s, i, len))) i += len;
  return i;
}

// Position after the last non-space code point.
size_t content_end(const std::string& s) {
  size_t end = 0, len = 0;
  for (size_t i = 0; i < s.size(); i += len)
    if (!is_space(decode(s, i, len))) end = i + len;
  return end;
}

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}
char ascii_upper(char c) {
  return c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c;
}

struct OpInfo {
  std::vector<std::string> json_args;  // argument names in a task file's step object, in order
};

const std::map<std::string, OpInfo>& ops() {
  static const std::map<std::string, OpInfo> table = {
      {"strip", {}},
      {"lstrip", {}},
      {"rstrip", {}},
      {"capitalize", {}},
      {"lower", {}},
      {"upper", {}},
      {"replace", {{"from", "to"}}},
      {"regex_replace", {{"pattern", "to"}}},
      {"remove_prefix", {{"prefix"}}},
      {"before", {{"sep"}}},
      {"after", {{"sep"}}},
      {"before_last", {{"sep"}}},
      {"after_last", {{"sep"}}},
      {"trim_inside", {{"pair"}}},
  };
  return table;
}

std::string op_names() {
  std::string names;
  for (const auto& [name, info] : ops()) names += (names.empty() ? "" : ", ") + name;
  return names;
}

void check_args(const std::string& op, const std::vector<std::string>& args, const std::string& where) {
  if (op == "trim_inside" && args[0].size() != 2)
    throw_bad_input(where + ": 'pair' must be two characters such as \"()\"");
  if ((op == "replace" || op == "before" || op == "after" || op == "before_last" || op == "after_last") &&
      args[0].empty())
    throw_bad_input(where + ": the text to find must not be empty");
}

}  // namespace

std::string lstrip(const std::string& s) {
  return s.substr(space_prefix(s, 0));
}
std::string rstrip(const std::string& s) {
  return s.substr(0, content_end(s));
}
std::string strip(const std::string& s) {
  return lstrip(rstrip(s));
}

std::string lower(const std::string& s) {
  std::string out = s;
  for (char& c : out) c = ascii_lower(c);
  return out;
}

std::string upper(const std::string& s) {
  std::string out = s;
  for (char& c : out) c = ascii_upper(c);
  return out;
}

std::string capitalize(const std::string& s) {
  std::string out = lower(s);
  if (!out.empty()) out[0] = ascii_upper(out[0]);
  return out;
}

std::string replace_all(const std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  std::string out;
  size_t pos = 0;
  for (size_t hit; (hit = s.find(from, pos)) != std::string::npos; pos = hit + from.size())
    out.append(s, pos, hit - pos).append(to);
  return out.append(s, pos, std::string::npos);
}

int64_t code_points(const std::string& s) {
  int64_t n = 0;
  size_t len = 0;
  for (size_t i = 0; i < s.size(); i += len, ++n) decode(s, i, len);
  return n;
}

int64_t whitespace_split_count(const std::string& s) {
  int64_t runs = 0;
  bool in_run = false;
  size_t len = 0;
  for (size_t i = 0; i < s.size(); i += len) {
    const bool space = is_space(decode(s, i, len));
    if (space && !in_run) ++runs;
    in_run = space;
  }
  return runs + 1;
}

std::string trim_inside_pairs(const std::string& s, char open, char close) {
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t o = s.find(open, pos);
    if (o == std::string::npos) break;
    const size_t c = s.find(close, o + 1);
    if (c == std::string::npos) break;  // no later open can find a close either
    out.append(s, pos, o - pos).push_back(open);
    out.append(strip(s.substr(o + 1, c - o - 1))).push_back(close);
    pos = c + 1;
  }
  return out.append(s, pos, std::string::npos);
}

Step Step::parse(const nlohmann::json& spec, const std::string& where) {
  if (!spec.is_object() || !spec.contains("op") || !spec["op"].is_string())
    throw_bad_input(where + ": a step needs a field 'op' (one of " + op_names() + ")");
  Step step;
  step.op_ = spec["op"].get<std::string>();
  const auto it = ops().find(step.op_);
  if (it == ops().end())
    throw_bad_input(where + ": unknown op '" + step.op_ + "' (known: " + op_names() + ")");
  for (const auto& name : it->second.json_args) {
    if (!spec.contains(name) || !spec[name].is_string())
      throw_bad_input(where + ": op '" + step.op_ + "' needs a string field '" + name + "'");
    step.args_.push_back(spec[name].get<std::string>());
  }
  check_args(step.op_, step.args_, where);
  step.compile(where);
  return step;
}

Step Step::parse_filter(const std::string& filter, const std::string& where) {
  Step step;
  const size_t colon = filter.find(':');
  step.op_ = filter.substr(0, colon);
  const auto it = ops().find(step.op_);
  if (it == ops().end())
    throw_bad_input(where + ": unknown filter '" + step.op_ + "' (known: " + op_names() + ")");
  const size_t wanted = it->second.json_args.size();
  if (colon != std::string::npos) {
    std::string rest = filter.substr(colon + 1);
    for (size_t i = 0; i + 1 < wanted; ++i) {  // the last argument takes the rest, colons included
      const size_t next = rest.find(':');
      if (next == std::string::npos) break;
      step.args_.push_back(rest.substr(0, next));
      rest = rest.substr(next + 1);
    }
    step.args_.push_back(rest);
  }
  if (step.args_.size() != wanted)
    throw_bad_input(where + ": filter '" + step.op_ + "' takes " + std::to_string(wanted) + " argument(s)");
  check_args(step.op_, step.args_, where);
  step.compile(where);
  return step;
}

void Step::compile(const std::string& where) {
  if (op_ != "regex_replace") return;
  regex_ = Regex::compile(args_[0], where);
  replacement_ = regex_.parse_replacement(args_[1]);
}

std::string Step::apply(const std::string& s) const {
  const auto& a = args_;
  if (op_ == "strip") return strip(s);
  if (op_ == "lstrip") return lstrip(s);
  if (op_ == "rstrip") return rstrip(s);
  if (op_ == "capitalize") return capitalize(s);
  if (op_ == "lower") return lower(s);
  if (op_ == "upper") return upper(s);
  if (op_ == "replace") return replace_all(s, a[0], a[1]);
  if (op_ == "regex_replace") return regex_.replace_all(s, replacement_);
  if (op_ == "remove_prefix") return s.rfind(a[0], 0) == 0 ? s.substr(a[0].size()) : s;
  if (op_ == "trim_inside") return trim_inside_pairs(s, a[0][0], a[0][1]);
  // before/after (first or last separator): like Python's partition/rpartition.
  const size_t at = op_ == "before" || op_ == "after" ? s.find(a[0]) : s.rfind(a[0]);
  const bool before = op_ == "before" || op_ == "before_last";
  if (at == std::string::npos) return before ? s : "";
  return before ? s.substr(0, at) : s.substr(at + a[0].size());
}

std::string apply(const Pipeline& pipeline, std::string s) {
  for (const auto& step : pipeline) s = step.apply(s);
  return s;
}

}  // namespace llmdrop::text
