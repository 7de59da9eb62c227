#include "util/input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>

#include "util/error.h"

namespace llmdrop {
namespace fs = std::filesystem;

namespace {

std::string type_name(const nlohmann::json& v) {
  if (v.is_number_integer()) return "an integer " + v.dump();
  if (v.is_number()) return "a number " + v.dump();
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    return "a string \"" + (s.size() > 40 ? s.substr(0, 40) + "…" : s) + "\"";
  }
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_null()) return "null";
  return v.is_array() ? "an array" : "an object";
}

// Opens without blocking (a FIFO would wait for a writer) and checks the kind before any read.
int open_regular(const fs::path& path, uint64_t& size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) throw_bad_input(path.string() + ": no such file");
    throw_bad_input("cannot read " + path.string() + ": " + std::strerror(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    const bool dir = S_ISDIR(st.st_mode);
    ::close(fd);
    throw_bad_input(path.string() + (dir ? " is a directory, not a file" : " is not a regular file"));
  }
  size = static_cast<uint64_t>(st.st_size);
  return fd;
}

}  // namespace

uint64_t regular_file_size(const fs::path& path) {
  uint64_t size = 0;
  ::close(open_regular(path, size));
  return size;
}

bool is_plain_file(const fs::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string read_file(const fs::path& path, uint64_t max_bytes) {
  uint64_t size = 0;
  const int fd = open_regular(path, size);
  if (size > max_bytes) {
    ::close(fd);
    throw_bad_input(path.string() + " is " + std::to_string(size / kMiB) + " MiB, more than the " +
                    std::to_string(max_bytes / kMiB) + " MiB such a file may have");
  }
  std::string content(size, '\0');
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd, content.data() + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the file shrank while being read
    done += static_cast<size_t>(n);
  }
  const int err = errno;
  ::close(fd);
  if (done < size)
    throw_bad_input("cannot read " + path.string() + ": " + (err ? std::strerror(err) : "truncated"));
  return content;
}

std::string_view strip_bom(std::string_view text) {
  return text.substr(0, 3) == "\xEF\xBB\xBF" ? text.substr(3) : text;
}

int json_depth(std::string_view text, int limit) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

nlohmann::json parse_json(std::string_view text, const std::string& origin) {
  text = strip_bom(text);
  if (json_depth(text, kMaxJsonDepth) > kMaxJsonDepth)
    throw_bad_input(origin + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    std::string why = e.what();
    if (const auto colon = why.find("] "); colon != std::string::npos) why = why.substr(colon + 2);
    throw_bad_input(origin + ": not valid JSON: " + why);
  }
}

nlohmann::json read_json_file(const fs::path& path, uint64_t max_bytes) {
  return parse_json(read_file(path, max_bytes), path.string());
}

int64_t json_int(const nlohmann::json& value, const std::string& what, int64_t min, int64_t max) {
  int64_t v = 0;
  if (value.is_number_unsigned()) {
    if (value.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))
      throw_bad_input(what + " is too large: " + value.dump());
    v = static_cast<int64_t>(value.get<uint64_t>());
  } else if (value.is_number_integer()) {
    v = value.get<int64_t>();
  } else if (value.is_number_float() && std::isfinite(value.get<double>()) &&
             value.get<double>() == std::floor(value.get<double>()) && std::abs(value.get<double>()) < 9e15) {
    v = static_cast<int64_t>(value.get<double>());  // 4.0: Python writes whole numbers so at times
  } else {
    throw_bad_input(what + " must be an integer, not " + type_name(value));
  }
  if (v < min || v > max)
    throw_bad_input(what + " must be " +
                    (max == std::numeric_limits<int64_t>::max()
                         ? "at least " + std::to_string(min)
                         : "between " + std::to_string(min) + " and " + std::to_string(max)) +
                    ", not " + std::to_string(v));
  return v;
}

double json_number(const nlohmann::json& value, const std::string& what) {
  if (!value.is_number()) throw_bad_input(what + " must be a number, not " + type_name(value));
  const double v = value.get<double>();
  if (!std::isfinite(v)) throw_bad_input(what + " must be finite, not " + value.dump());
  return v;
}

bool json_bool(const nlohmann::json& value, const std::string& what) {
  if (!value.is_boolean()) throw_bad_input(what + " must be true or false, not " + type_name(value));
  return value.get<bool>();
}

std::string json_string(const nlohmann::json& value, const std::string& what) {
  if (!value.is_string()) throw_bad_input(what + " must be a string, not " + type_name(value));
  return value.get<std::string>();
}

std::vector<int64_t> json_int_list(const nlohmann::json& value, const std::string& what, int64_t min,
                                   int64_t max) {
  if (!value.is_array()) throw_bad_input(what + " must be a list of integers, not " + type_name(value));
  std::vector<int64_t> out;
  for (size_t i = 0; i < value.size(); ++i)
    out.push_back(json_int(value[i], what + "[" + std::to_string(i) + "]", min, max));
  return out;
}

std::vector<double> json_number_list(const nlohmann::json& value, const std::string& what) {
  if (!value.is_array()) throw_bad_input(what + " must be a list of numbers, not " + type_name(value));
  std::vector<double> out;
  for (size_t i = 0; i < value.size(); ++i)
    out.push_back(json_number(value[i], what + "[" + std::to_string(i) + "]"));
  return out;
}

std::vector<std::string> json_string_list(const nlohmann::json& value, const std::string& what) {
  if (!value.is_array()) throw_bad_input(what + " must be a list of strings, not " + type_name(value));
  std::vector<std::string> out;
  for (size_t i = 0; i < value.size(); ++i)
    out.push_back(json_string(value[i], what + "[" + std::to_string(i) + "]"));
  return out;
}

const nlohmann::json& json_field(const nlohmann::json& object, const std::string& key,
                                 const std::string& where) {
  if (!object.is_object()) throw_bad_input(where + " must be a JSON object, not " + type_name(object));
  const auto it = object.find(key);
  if (it == object.end()) throw_bad_input(where + ": missing field '" + key + "'");
  return *it;
}

const nlohmann::json* json_find(const nlohmann::json& object, const std::string& key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

int64_t checked_mul(int64_t a, int64_t b, const std::string& what) {
  int64_t r = 0;
  if (a < 0 || b < 0 || __builtin_mul_overflow(a, b, &r)) throw_bad_input(what + " is too large");
  return r;
}

int64_t checked_add(int64_t a, int64_t b, const std::string& what) {
  int64_t r = 0;
  if (a < 0 || b < 0 || __builtin_add_overflow(a, b, &r)) throw_bad_input(what + " is too large");
  return r;
}

}  // namespace llmdrop
