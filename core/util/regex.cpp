#include "util/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <cstdint>

#include "util/error.h"
#include "util/utf8.h"

namespace llmdrop {

namespace {

// Bounds on one match. The match limit stops catastrophic backtracking ((a+)+b) in well under a second; the
// heap limit bounds the interpreter's backtracking frames; the JIT stack may grow to 64 MiB per thread (lazy
// quantifiers over long texts need one entry per character).
constexpr uint32_t kMatchLimit = 20'000'000;
constexpr uint32_t kDepthLimit = 10'000'000;
constexpr uint32_t kHeapLimitKiB = 512 * 1024;
constexpr size_t kJitStackMax = size_t(64) << 20;

std::string pcre2_message(int code) {
  PCRE2_UCHAR buffer[256];
  const int n = pcre2_get_error_message(code, buffer, sizeof buffer);
  return n < 0 ? "PCRE2 error " + std::to_string(code)
               : std::string(reinterpret_cast<const char*>(buffer), n);
}

pcre2_jit_stack* thread_jit_stack(void*) {
  struct Stack {
    pcre2_jit_stack* stack = pcre2_jit_stack_create(32 * 1024, kJitStackMax, nullptr);
    ~Stack() { pcre2_jit_stack_free(stack); }
  };
  thread_local Stack s;
  return s.stack;  // null (no memory): PCRE2 falls back to its 32 KiB default
}

// Shared by every match on every thread: PCRE2 only reads a match context, and the JIT stack comes per thread
// from the callback.
pcre2_match_context* match_context() {
  static pcre2_match_context* const context = [] {
    pcre2_match_context* c = pcre2_match_context_create(nullptr);
    if (!c) throw_runtime("out of memory for a regular expression");
    pcre2_set_match_limit(c, kMatchLimit);
    pcre2_set_depth_limit(c, kDepthLimit);
    pcre2_set_heap_limit(c, kHeapLimitKiB);
    pcre2_jit_stack_assign(c, thread_jit_stack, nullptr);
    return c;
  }();
  return context;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_octal(char c) {
  return c >= '0' && c <= '7';
}
bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

struct Regex::Impl {
  std::string pattern, where;
  pcre2_code* code = nullptr;
  int groups = 0;
  ~Impl() { pcre2_code_free(code); }

  [[noreturn]] void fail_match(int rc, size_t text_size) const {
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT ||
        rc == PCRE2_ERROR_JIT_STACKLIMIT)
      throw_bad_input(where + ": the regular expression '" + pattern + "' backtracks too much on a text of " +
                      std::to_string(text_size) + " bytes (" + pcre2_message(rc) + "); simplify the pattern");
    throw_runtime(where + ": matching the regular expression '" + pattern + "' failed: " + pcre2_message(rc));
  }

  // Calls on_match(ovector) for each match of Python's finditer over `subject` (valid UTF-8) until it says
  // stop.
  template <typename F>
  void for_each_match(std::string_view subject, F&& on_match) const {
    if (!code) return;
    const std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> data(
        pcre2_match_data_create_from_pattern(code, nullptr), &pcre2_match_data_free);
    if (!data) throw_runtime("out of memory for a regular expression");
    const auto* bytes = reinterpret_cast<PCRE2_SPTR>(subject.data());
    size_t pos = 0;
    uint32_t options = 0;
    while (pos <= subject.size()) {
      // Validated once by valid_utf8: PCRE2 would otherwise re-check the whole text at every match.
      const uint32_t flags = options | PCRE2_NO_UTF_CHECK;
      int rc = pcre2_match(code, bytes, subject.size(), pos, flags, data.get(), match_context());
      if (rc == PCRE2_ERROR_JIT_STACKLIMIT)  // the interpreter keeps its frames on the heap instead
        rc = pcre2_match(code, bytes, subject.size(), pos, flags | PCRE2_NO_JIT, data.get(), match_context());
      if (rc == PCRE2_ERROR_NOMATCH) return;
      if (rc < 0) fail_match(rc, subject.size());
      const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(data.get());
      if (ov[1] < ov[0] || ov[0] < pos)  // \K inside a lookaround: no progress could be guaranteed
        throw_bad_input(where + ": the regular expression '" + pattern + "' uses \\K in a lookaround");
      if (!on_match(ov)) return;
      // Python: after an empty match the next one may start here, but not be empty here.
      options = ov[0] == ov[1] ? PCRE2_NOTEMPTY_ATSTART : 0;
      pos = ov[1];
    }
  }

  Match to_match(std::string_view subject, const PCRE2_SIZE* ov) const {
    Match m;
    m.groups.resize(groups + 1);
    for (int g = 0; g <= groups; ++g)
      if (ov[2 * g] != PCRE2_UNSET) m.groups[g].emplace(subject.substr(ov[2 * g], ov[2 * g + 1] - ov[2 * g]));
    return m;
  }
};

Regex Regex::compile(const std::string& pattern, const std::string& where) {
  auto impl = std::make_shared<Impl>();
  impl->pattern = pattern;
  impl->where = where;
  const std::unique_ptr<pcre2_compile_context, decltype(&pcre2_compile_context_free)> context(
      pcre2_compile_context_create(nullptr), &pcre2_compile_context_free);
  if (!context) throw_runtime("out of memory for a regular expression");
  pcre2_set_newline(context.get(), PCRE2_NEWLINE_LF);  // Python: `.` and `$` know only "\n"
  int error = 0;
  PCRE2_SIZE offset = 0;
  impl->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                             PCRE2_UTF | PCRE2_UCP | PCRE2_ALT_BSUX | PCRE2_ALT_CIRCUMFLEX, &error, &offset,
                             context.get());
  if (!impl->code)
    throw_bad_input(where + ": invalid regular expression '" + pattern + "': " + pcre2_message(error) +
                    " at offset " + std::to_string(offset));
  pcre2_jit_compile(impl->code, PCRE2_JIT_COMPLETE);  // without JIT (unsupported CPU) the interpreter runs
  uint32_t count = 0;
  pcre2_pattern_info(impl->code, PCRE2_INFO_CAPTURECOUNT, &count);
  impl->groups = static_cast<int>(count);
  Regex regex;
  regex.impl_ = std::move(impl);
  return regex;
}

const std::string& Regex::pattern() const {
  static const std::string none;
  return impl_ ? impl_->pattern : none;
}

int Regex::group_count() const {
  return impl_ ? impl_->groups : 0;
}

std::optional<Regex::Match> Regex::search(std::string_view text) const {
  if (!impl_) return std::nullopt;
  std::string storage;
  const std::string_view subject = valid_utf8(text, storage);
  std::optional<Match> found;
  impl_->for_each_match(subject, [&](const PCRE2_SIZE* ov) {
    found = impl_->to_match(subject, ov);
    return false;
  });
  return found;
}

std::vector<Regex::Match> Regex::find_all(std::string_view text) const {
  std::vector<Match> found;
  if (!impl_) return found;
  std::string storage;
  const std::string_view subject = valid_utf8(text, storage);
  impl_->for_each_match(subject, [&](const PCRE2_SIZE* ov) {
    found.push_back(impl_->to_match(subject, ov));
    return true;
  });
  return found;
}

std::vector<std::pair<size_t, size_t>> Regex::spans(std::string_view text) const {
  std::vector<std::pair<size_t, size_t>> found;
  if (!impl_) return found;
  if (!is_valid_utf8(text)) throw_bad_input(impl_->where + ": the text is not valid UTF-8");
  impl_->for_each_match(text, [&](const PCRE2_SIZE* ov) {
    found.emplace_back(ov[0], ov[1]);
    return true;
  });
  return found;
}

Regex::Replacement Regex::parse_replacement(const std::string& replacement) const {
  const std::string where = (impl_ ? impl_->where : std::string("regular expression")) +
                            ": in the replacement '" + replacement + "': ";
  Replacement r;
  std::string literal;
  auto add_group = [&](int64_t group) {
    if (group > group_count())
      throw_bad_input(where + "invalid group reference " + std::to_string(group) + " (the pattern has " +
                      std::to_string(group_count()) + " group(s))");
    if (!literal.empty()) r.parts.push_back({std::move(literal), -1});
    literal.clear();
    r.parts.push_back({"", static_cast<int>(group)});
  };
  const std::string& s = replacement;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      literal += s[i];
      continue;
    }
    if (++i == s.size()) throw_bad_input(where + "bad escape (end of template)");
    const char c = s[i];
    if (c == 'g') {  // \g<number> or \g<name>
      const size_t close = s.find('>', i + 1);
      if (i + 1 >= s.size() || s[i + 1] != '<') throw_bad_input(where + "missing < after \\g");
      if (close == std::string::npos) throw_bad_input(where + "missing >, unterminated name");
      const std::string name = s.substr(i + 2, close - i - 2);
      if (name.empty()) throw_bad_input(where + "missing group name");
      i = close;
      if (std::all_of(name.begin(), name.end(), is_digit)) {
        add_group(name.size() > 9 ? int64_t(1) << 40 : std::stoll(name));
        continue;
      }
      const int number =
          impl_ ? pcre2_substring_number_from_name(impl_->code, reinterpret_cast<PCRE2_SPTR>(name.c_str()))
                : -1;
      if (number < 0) throw_bad_input(where + "unknown group name '" + name + "'");
      add_group(number);
    } else if (c == '0') {  // octal: \0, \0o, \0oo
      uint32_t value = 0;
      for (int k = 0; k < 2 && i + 1 < s.size() && is_octal(s[i + 1]); ++k)
        value = value * 8 + (s[++i] - '0');
      append_utf8(literal, value);
    } else if (is_digit(c)) {  // \d or \dd is a group; three octal digits a character
      std::string digits(1, c);
      if (i + 1 < s.size() && is_digit(s[i + 1])) {
        digits += s[++i];
        if (is_octal(digits[0]) && is_octal(digits[1]) && i + 1 < s.size() && is_octal(s[i + 1])) {
          digits += s[++i];
          const uint32_t value = std::stoul(digits, nullptr, 8);
          if (value > 0377)
            throw_bad_input(where + "octal escape value \\" + digits + " outside of range 0-0o377");
          append_utf8(literal, value);
          continue;
        }
      }
      add_group(std::stoll(digits));
    } else {
      static const std::string kLetters = "abfnrtv\\", kChars = "\a\b\f\n\r\t\v\\";
      if (const size_t e = kLetters.find(c); e != std::string::npos)
        literal += kChars[e];
      else if (is_ascii_letter(c))
        throw_bad_input(where + "bad escape \\" + std::string(1, c));
      else
        literal.append(1, '\\').append(1, c);  // Python keeps an unknown non-letter escape as written
    }
  }
  if (!literal.empty()) r.parts.push_back({std::move(literal), -1});
  return r;
}

std::string Regex::replace_all(std::string_view text, const Replacement& replacement) const {
  if (!impl_) return std::string(text);
  std::string storage;
  const std::string_view subject = valid_utf8(text, storage);
  std::string out;
  size_t copied = 0;
  impl_->for_each_match(subject, [&](const PCRE2_SIZE* ov) {
    out.append(subject.substr(copied, ov[0] - copied));
    for (const auto& part : replacement.parts) {
      if (part.group < 0 || part.group > impl_->groups)
        out += part.text;
      else if (ov[2 * part.group] != PCRE2_UNSET)
        out.append(subject.substr(ov[2 * part.group], ov[2 * part.group + 1] - ov[2 * part.group]));
    }
    copied = ov[1];
    return true;
  });
  return out.append(subject.substr(copied));
}

std::string Regex::replace_all(std::string_view text, const std::string& replacement) const {
  return replace_all(text, parse_replacement(replacement));
}

}  // namespace llmdrop
