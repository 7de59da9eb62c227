#pragma once
// The per-document log of an evaluation (JSON Lines): a header that identifies the run (the model's weights
// and drops, the settings, each task definition's and data file's sha256), then one record per document.
// --resume reuses the records of a log whose header matches exactly; any difference starts no mixed run.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>

namespace llmdrop {

class SamplesLog {
 public:
  // An empty path logs nothing. An existing file is refused unless `resume`; with it, the file's header must
  // equal `header` (BadInput naming the fields that differ) and a partial last line (a killed run) is
  // dropped.
  SamplesLog(const std::filesystem::path& path, const nlohmann::json& header, bool resume);

  // The record of (task, document) from the file being resumed, or nullptr.
  const nlohmann::json* find(const std::string& task, int64_t doc) const;
  void append(const nlohmann::json& record);
  void flush();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::map<std::pair<std::string, int64_t>, nlohmann::json> done_;
  std::ofstream out_;
};

}  // namespace llmdrop
