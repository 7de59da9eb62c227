#pragma once
// How the commands write their results on stdout.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace llmdrop::cli {

// One line of JSON (--json).
void print_json(const nlohmann::json& j);
// A path as results and records name it: absolute.
std::string fs_absolute(const std::filesystem::path& path);
// Fixed-point with `precision` decimals, for tables and CSV.
std::string format_number(double v, int precision = 4);

}  // namespace llmdrop::cli
