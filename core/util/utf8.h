#pragma once
// UTF-8 as PCRE2 and Rust strings take it: the strict Unicode table (no overlong forms, surrogates or code
// points past U+10FFFF).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace llmdrop {

// The byte length of the valid UTF-8 character at s[i]; 0 when the bytes there are not one.
size_t utf8_length(std::string_view s, size_t i);
// `text` when it is valid UTF-8; otherwise a copy in `storage` with every invalid byte replaced by U+FFFD
// (Python's decode(errors="replace"), Rust's from_utf8_lossy).
std::string_view valid_utf8(std::string_view text, std::string& storage);
bool is_valid_utf8(std::string_view text);
void append_utf8(std::string& out, uint32_t code_point);

}  // namespace llmdrop
