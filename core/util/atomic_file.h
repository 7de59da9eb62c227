#pragma once
// Writing the user's files: never half-written (a temporary file of the writer's own in the same folder,
// renamed into place, so concurrent writers never share one), and never inside a folder that must stay as it
// is (the model's).
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

namespace llmdrop {

void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ofstream&)>& write);
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

// OUT made absolute and normal, without a trailing separator ("out/" and "out" name one folder).
std::filesystem::path output_path(const std::filesystem::path& out);
// BadInput when OUT (symlinks resolved) lies inside `folder` or is `folder` itself; `folder_name` says what
// it is, e.g. "the model folder".
void refuse_output_inside(const std::filesystem::path& out, const std::filesystem::path& folder,
                          const std::string& folder_name);

}  // namespace llmdrop
