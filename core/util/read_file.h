#pragma once
// A whole file as bytes; BadInput "cannot read PATH" when it cannot be opened.
#include <filesystem>
#include <string>

namespace llmdrop {

std::string read_file(const std::filesystem::path& path);

}  // namespace llmdrop
