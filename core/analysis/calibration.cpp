#include "analysis/calibration.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "checkpoint/tokenizer.h"
#include "util/error.h"
#include "util/input.h"

namespace llmdrop {
namespace fs = std::filesystem;

namespace {
std::string text_field(const nlohmann::json& j, const std::string& where) {
  const auto* text = json_find(j, "text");
  if (!text || !text->is_string())
    throw_bad_input(where + ": expected an object with a string field \"text\"");
  return text->get<std::string>();
}
}  // namespace

std::vector<std::string> read_text_documents(const fs::path& path) {
  const std::string file = read_file(path, kMaxDataBytes);
  const std::string_view content = strip_bom(file);  // a UTF-8 BOM must not turn JSON into plain text
  std::vector<std::string> documents;
  const auto first = content.find_first_not_of(" \t\r\n");
  const std::string ext = path.extension().string();
  if (ext == ".txt" || first == std::string::npos || (content[first] != '[' && content[first] != '{')) {
    if (first != std::string::npos) documents.emplace_back(content);
  } else if (content[first] == '[') {
    const nlohmann::json array = parse_json(content, path.string());
    if (!array.is_array())
      throw_bad_input(path.string() + ": expected a JSON array of {\"text\": …} objects");
    for (size_t i = 0; i < array.size(); ++i)
      documents.push_back(text_field(array[i], path.string() + " item " + std::to_string(i)));
  } else {
    std::istringstream lines{std::string(content)};
    std::string line;
    for (int64_t number = 1; std::getline(lines, line); ++number) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      const std::string where = path.string() + " line " + std::to_string(number);
      documents.push_back(text_field(parse_json(line, where), where));
    }
  }
  if (documents.empty()) throw_bad_input("calibration data " + path.string() + " holds no text");
  return documents;
}

at::Tensor calibration_blocks(const Tokenizer& tokenizer, const std::vector<std::string>& documents,
                              int64_t n, int64_t seq_len, bool at_most) {
  if (n < 1 || seq_len < 2) throw_bad_input("calibration needs samples >= 1 and seq-len >= 2");
  if (!tokenizer.eos_id())
    throw_bad_input("the tokenizer has no EOS token to end calibration documents with");
  std::vector<int64_t> stream;
  const auto wanted = static_cast<size_t>(checked_mul(n, seq_len, "samples × seq-len"));
  for (const auto& doc : documents) {
    const auto ids = tokenizer.encode(doc);
    stream.insert(stream.end(), ids.begin(), ids.end());
    stream.push_back(*tokenizer.eos_id());
    if (stream.size() >= wanted) break;  // later documents cannot change the first n blocks
  }
  const int64_t available = static_cast<int64_t>(stream.size()) / seq_len;
  if (at_most && available >= 1) n = std::min(n, available);
  if (available < n)
    throw_bad_input("the calibration data yields only " + std::to_string(available) + " blocks of " +
                    std::to_string(seq_len) + " tokens, but " + std::to_string(n) + " were requested");
  stream.resize(static_cast<size_t>(n * seq_len));
  return at::tensor(stream, at::kLong).view({n, seq_len});
}

}  // namespace llmdrop
