#pragma once
// Regular expressions on the user's data (task files' patterns over documents and model output). PCRE2,
// 8-bit, UTF + Unicode properties, JIT where available: std::regex recurses once per character and overflows
// the stack on long texts. Matching is bounded (match, depth and heap limits): a pattern that backtracks
// without end fails with a BadInput error naming it instead of hanging.
//
// Patterns follow Python's `re` (lm-eval's tasks are Python): \d \w \s are Unicode, `.` skips only "\n", `$`
// also matches before a final "\n", \uXXXX is a code point. Known differences: \Z also matches before a
// final "\n" (Python's \Z is \z here) and `{,n}` is literal. Text that is not valid UTF-8 is matched with
// each invalid byte read as U+FFFD (what Python's decode(errors="replace") gives), and results then carry
// U+FFFD.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmdrop {

class Regex {
 public:
  // groups[0] is the whole match, groups[i] capture group i (nullopt when the group took no part).
  struct Match {
    std::vector<std::optional<std::string>> groups;
  };
  // A parsed re.sub replacement template: literal text and group references.
  struct Replacement {
    struct Part {
      std::string text;
      int group = -1;  // ≥ 0: the text of this group instead of `text`
    };
    std::vector<Part> parts;
  };

  // BadInput "WHERE: invalid regular expression 'PATTERN': REASON at offset N" on an invalid pattern.
  static Regex compile(const std::string& pattern, const std::string& where);
  Regex() = default;  // matches nothing; compile() makes a usable one

  const std::string& pattern() const;
  int group_count() const;

  // Python's re.search: the first match.
  std::optional<Match> search(std::string_view text) const;
  // Python's re.finditer: every non-overlapping match, left to right; an empty match right after a non-empty
  // one counts (Python 3.7+).
  std::vector<Match> find_all(std::string_view text) const;
  // The same matches as byte ranges [begin, end) of `text`, which must be valid UTF-8 (BadInput otherwise:
  // offsets into a repaired copy would mean nothing).
  std::vector<std::pair<size_t, size_t>> spans(std::string_view text) const;

  // Python's re.sub template: \1 … \99 and \g<1> / \g<name> insert a group (empty when it did not take part),
  // \n \t \r \f \v \a \b \\ and octal \0oo / \ooo are characters, "\" before another non-letter stays as is.
  // BadInput naming `where` on a bad escape or a group the pattern lacks.
  Replacement parse_replacement(const std::string& replacement) const;
  // Python's re.sub(pattern, replacement, text).
  std::string replace_all(std::string_view text, const Replacement& replacement) const;
  std::string replace_all(std::string_view text, const std::string& replacement) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace llmdrop
