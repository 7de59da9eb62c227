#pragma once
// The one way core reads the user's files. Regular files only (a FIFO or a device would hang or never end),
// sizes checked before reading, JSON nesting bounded (deep input overflows recursive code such as dump()),
// typed field access whose errors name the file and the field, and overflow-checked size arithmetic.
// Every failure is BadInput with one line naming the file.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace llmdrop {

inline constexpr uint64_t kMiB = uint64_t(1) << 20;
inline constexpr uint64_t kMaxMetadataBytes = 256 * kMiB;  // config.json, task files, scores, projects, vocab
inline constexpr uint64_t kMaxDataBytes = 8192 * kMiB;     // calibration text, evaluation data, samples logs
inline constexpr int kMaxJsonDepth = 256;

// The size of the regular file `path` (symlinks followed); BadInput when it is missing, a directory or any
// other kind of file.
uint64_t regular_file_size(const std::filesystem::path& path);
bool is_plain_file(const std::filesystem::path& path);  // a regular file (symlinks followed); never throws
// The whole file; BadInput when it is not a regular file or larger than `max_bytes`.
std::string read_file(const std::filesystem::path& path, uint64_t max_bytes = kMaxDataBytes);

// JSON text (a UTF-8 BOM is skipped); BadInput "ORIGIN: not valid JSON: …" or "ORIGIN: JSON nested deeper
// than 256 levels". `origin` names the file (and line).
nlohmann::json parse_json(std::string_view text, const std::string& origin);
nlohmann::json read_json_file(const std::filesystem::path& path, uint64_t max_bytes = kMaxMetadataBytes);
// The deepest nesting of arrays and objects in JSON text (strings skipped); stops counting past `limit`.
int json_depth(std::string_view text, int limit = std::numeric_limits<int>::max());
std::string_view strip_bom(std::string_view text);

// Typed values of JSON input. `what` names the file and field, e.g. "config.json: num_hidden_layers"; a wrong
// type or a value out of range is BadInput "WHAT must be …, not …".
int64_t json_int(const nlohmann::json& value, const std::string& what,
                 int64_t min = std::numeric_limits<int64_t>::min(),
                 int64_t max = std::numeric_limits<int64_t>::max());
double json_number(const nlohmann::json& value, const std::string& what);  // finite
bool json_bool(const nlohmann::json& value, const std::string& what);
std::string json_string(const nlohmann::json& value, const std::string& what);
std::vector<int64_t> json_int_list(const nlohmann::json& value, const std::string& what, int64_t min,
                                   int64_t max);
std::vector<std::string> json_string_list(const nlohmann::json& value, const std::string& what);
std::vector<double> json_number_list(const nlohmann::json& value, const std::string& what);  // finite
// object[key], or BadInput "WHERE: missing field 'KEY'" (also when `object` is not an object).
const nlohmann::json& json_field(const nlohmann::json& object, const std::string& key,
                                 const std::string& where);
// object[key] when present and not null, else nullptr.
const nlohmann::json* json_find(const nlohmann::json& object, const std::string& key);

// a·b and a+b for sizes and counts; BadInput "WHAT is too large" on overflow or a negative operand.
int64_t checked_mul(int64_t a, int64_t b, const std::string& what);
int64_t checked_add(int64_t a, int64_t b, const std::string& what);

}  // namespace llmdrop
