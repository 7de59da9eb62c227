#pragma once
// A digest of every file name and content under a directory: the "source left untouched" check of export
// tests. Only for suites that link core (util/sha256).
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "util/sha256.h"

namespace llmdrop::test {

inline std::string tree_digest(const std::filesystem::path& dir) {
  Sha256 h;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) h.update(f.filename().string() + ":" + sha256_file(f));
  return h.hex_digest();
}

}  // namespace llmdrop::test
