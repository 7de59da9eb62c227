#pragma once
// String operations with Python's semantics (lm-eval's prompts are Python), and the named preprocessing
// steps a task file may chain.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "util/regex.h"

namespace llmdrop::text {

// Python str methods on UTF-8 text. Whitespace is Python's (Unicode) whitespace; case mapping covers ASCII.
std::string strip(const std::string& s);
std::string lstrip(const std::string& s);
std::string rstrip(const std::string& s);
std::string capitalize(const std::string& s);  // first character upper case, the rest lower case
std::string lower(const std::string& s);
std::string upper(const std::string& s);
std::string replace_all(const std::string& s, const std::string& from, const std::string& to);
int64_t code_points(const std::string& s);             // Python's len()
int64_t whitespace_split_count(const std::string& s);  // len(re.split(r"\s+", s))
// For every `open`…`close` pair, left to right (the close is the next one after the open), removes the
// whitespace just inside: re.sub(r"\(\s*([^\)]*?)\s*\)", r"(\1)", s) for open "(" and close ")".
std::string trim_inside_pairs(const std::string& s, char open, char close);

// One named step of a pipeline, parsed from a task file: {"op": "replace", "from": "a", "to": "b"}.
class Step {
 public:
  // `where` names the step in error messages ("task hellaswag: preprocess.hellaswag[2]").
  static Step parse(const nlohmann::json& spec, const std::string& where);
  // A template filter: "strip", "before:_", "replace:_: " (arguments after ':').
  static Step parse_filter(const std::string& filter, const std::string& where);
  std::string apply(const std::string& s) const;

 private:
  void compile(const std::string& where);  // regex_replace's pattern and replacement (Python's re.sub)

  std::string op_;
  std::vector<std::string> args_;
  Regex regex_;  // regex_replace: the pattern and its replacement, parsed once
  Regex::Replacement replacement_;
};

using Pipeline = std::vector<Step>;
std::string apply(const Pipeline& pipeline, std::string s);

}  // namespace llmdrop::text
