#include "util/atomic_file.h"

#include "util/error.h"

namespace llmdrop {

void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ofstream&)>& write) {
  const std::filesystem::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp");
  try {
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) throw_runtime("cannot write " + tmp.string());
      write(out);
      out.flush();
      if (!out) throw_runtime("writing " + path.string() + " failed (disk full?)");
    }
    std::filesystem::rename(tmp, path);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw;
  }
}

void write_file_atomically(const std::filesystem::path& path, const std::string& content) {
  write_file_atomically(path, [&](std::ofstream& out) { out << content; });
}

}  // namespace llmdrop
