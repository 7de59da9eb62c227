#include "analysis/calibration.h"

#include <ATen/ATen.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "checkpoint/tokenizer.h"
#include "util/error.h"

namespace llmdrop {
namespace fs = std::filesystem;

namespace {
std::string text_field(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object() || !j.contains("text") || !j["text"].is_string())
    throw_bad_input(where + ": expected an object with a string field \"text\"");
  return j["text"].get<std::string>();
}
}  // namespace

std::vector<std::string> read_text_documents(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_bad_input("cannot read calibration data " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string content = buffer.str();
  std::vector<std::string> documents;
  const auto first = content.find_first_not_of(" \t\r\n");
  const std::string ext = path.extension().string();
  if (ext == ".txt" || first == std::string::npos || (content[first] != '[' && content[first] != '{')) {
    if (first != std::string::npos) documents.push_back(content);
  } else if (content[first] == '[') {
    nlohmann::json array;
    try {
      array = nlohmann::json::parse(content);
    } catch (const nlohmann::json::exception& e) {
      throw_bad_input(path.string() + " is not valid JSON (" + e.what() + ")");
    }
    for (size_t i = 0; i < array.size(); ++i)
      documents.push_back(text_field(array[i], path.string() + " item " + std::to_string(i)));
  } else {
    std::istringstream lines(content);
    std::string line;
    for (int64_t number = 1; std::getline(lines, line); ++number) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(line);
      } catch (const nlohmann::json::exception& e) {
        throw_bad_input(path.string() + " line " + std::to_string(number) + " is not valid JSON");
      }
      documents.push_back(text_field(j, path.string() + " line " + std::to_string(number)));
    }
  }
  if (documents.empty()) throw_bad_input("calibration data " + path.string() + " holds no text");
  return documents;
}

at::Tensor calibration_blocks(const Tokenizer& tokenizer, const std::vector<std::string>& documents,
                              int64_t n, int64_t seq_len) {
  if (n < 1 || seq_len < 2) throw_bad_input("calibration needs samples >= 1 and seq-len >= 2");
  if (!tokenizer.eos_id())
    throw_bad_input("the tokenizer has no EOS token to end calibration documents with");
  std::vector<int64_t> stream;
  const size_t wanted = static_cast<size_t>(n * seq_len);
  for (const auto& doc : documents) {
    const auto ids = tokenizer.encode(doc);
    stream.insert(stream.end(), ids.begin(), ids.end());
    stream.push_back(*tokenizer.eos_id());
    if (stream.size() >= wanted) break;  // later documents cannot change the first n blocks
  }
  const int64_t available = static_cast<int64_t>(stream.size()) / seq_len;
  if (available < n)
    throw_bad_input("the calibration data yields only " + std::to_string(available) + " blocks of " +
                    std::to_string(seq_len) + " tokens, but " + std::to_string(n) + " were requested");
  stream.resize(wanted);
  return at::tensor(stream, at::kLong).view({n, seq_len});
}

}  // namespace llmdrop
