#include "cli/output.h"

#include <iostream>
#include <sstream>

namespace llmdrop::cli {

void print_json(const nlohmann::json& j) {
  std::cout << j.dump() << std::endl;
}

std::string fs_absolute(const std::filesystem::path& path) {
  return std::filesystem::absolute(path).string();
}

std::string format_number(double v, int precision) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(precision);
  s << v;
  return s.str();
}

}  // namespace llmdrop::cli
