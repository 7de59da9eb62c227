#pragma once
// Strict number parsing for user input: the whole text must be the number.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace llmdrop {

std::optional<int64_t> parse_int(const std::string& text);
std::optional<double> parse_double(const std::string& text);
// "a,b,,c" → {"a", "b", "", "c"}: the items of a comma-separated list, empty ones kept.
std::vector<std::string> split_commas(const std::string& text);
// "1,2,3" → {1,2,3} in order; nullopt when any item is not an integer.
std::optional<std::vector<int64_t>> parse_int_list(const std::string& text);

}  // namespace llmdrop
