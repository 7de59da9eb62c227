#include "util/parse.h"

#include <algorithm>
#include <sstream>

namespace llmdrop {

namespace {
template <class T, class Convert>
std::optional<T> parse_whole(const std::string& text, Convert convert) {
  size_t used = 0;
  T value{};
  try {
    value = convert(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (text.empty() || used != text.size()) return std::nullopt;
  return value;
}
}  // namespace

std::optional<int64_t> parse_int(const std::string& text) {
  return parse_whole<int64_t>(text, [](const std::string& s, size_t* used) { return std::stoll(s, used); });
}

std::optional<double> parse_double(const std::string& text) {
  return parse_whole<double>(text, [](const std::string& s, size_t* used) { return std::stod(s, used); });
}

std::optional<std::vector<int64_t>> parse_int_list(const std::string& text) {
  std::vector<int64_t> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    auto value = parse_int(item);
    if (!value) return std::nullopt;
    out.push_back(*value);
  }
  if (out.empty() || (!text.empty() && text.back() == ',')) return std::nullopt;
  return out;
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> items;
  for (size_t start = 0; start <= text.size();) {
    const size_t comma = std::min(text.find(',', start), text.size());
    items.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return items;
}

}  // namespace llmdrop
