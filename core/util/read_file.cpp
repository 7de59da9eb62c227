#include "util/read_file.h"

#include <fstream>
#include <sstream>

#include "util/error.h"

namespace llmdrop {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_bad_input("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace llmdrop
