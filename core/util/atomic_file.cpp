#include "util/atomic_file.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>

#include "util/error.h"

namespace llmdrop {

namespace {
// DIR/.NAME.PID.N.tmp: unique per process and write, so concurrent writers of one path never share a
// temporary file; each rename is atomic and the last one wins whole.
std::filesystem::path temporary_path(const std::filesystem::path& path) {
  static std::atomic<uint64_t> counter{0};
  const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
  return path.parent_path() / ("." + path.filename().string() + "." + std::to_string(::getpid()) + "." +
                               std::to_string(counter++) + "." + std::to_string(stamp % 1000000007) + ".tmp");
}
}  // namespace

void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ofstream&)>& write) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw_bad_input(path.string() + " is a directory, not a file");
  const std::filesystem::path tmp = temporary_path(path);
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

namespace llmdrop {

std::filesystem::path output_path(const std::filesystem::path& out) {
  if (out.empty()) throw_bad_input("an output path is empty");
  std::filesystem::path p = std::filesystem::weakly_canonical(std::filesystem::absolute(out));
  while (p.has_parent_path() && p.filename().empty() && p != p.root_path()) p = p.parent_path();
  return p;
}

void refuse_output_inside(const std::filesystem::path& out, const std::filesystem::path& folder,
                          const std::string& folder_name) {
  if (folder.empty()) return;
  std::error_code ec;
  const std::filesystem::path target = output_path(out), dir = std::filesystem::weakly_canonical(folder, ec);
  if (ec || dir.empty()) return;
  const auto [end, rest] = std::mismatch(dir.begin(), dir.end(), target.begin(), target.end());
  if (end == dir.end() || (std::next(end) == dir.end() && end->empty()))
    throw_bad_input("the output " + out.string() + " is inside " + folder_name + " (" + dir.string() +
                    "), which is never written; choose another place");
}

}  // namespace llmdrop
