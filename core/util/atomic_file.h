#pragma once
// Writes a file so that no reader ever sees it half-written: to DIR/.NAME.tmp first, then renamed into place.
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

namespace llmdrop {

void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ofstream&)>& write);
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

}  // namespace llmdrop
