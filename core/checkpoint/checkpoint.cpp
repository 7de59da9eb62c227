#include "checkpoint/checkpoint.h"

#include <fstream>

#include "util/error.h"

namespace llmdrop {
namespace fs = std::filesystem;

fs::path resolve_model_dir(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw_bad_input("model path " + path.string() + " does not exist");
  if (!fs::is_directory(path, ec)) throw_bad_input("model path " + path.string() + " is not a directory");
  if (fs::exists(path / "config.json")) return path;
  const fs::path snapshots = path / "snapshots";
  if (fs::is_directory(snapshots)) {
    std::ifstream ref(path / "refs" / "main");
    std::string commit;
    if (ref >> commit && fs::exists(snapshots / commit / "config.json")) return snapshots / commit;
    fs::path newest;
    fs::file_time_type newest_time{};
    for (const auto& entry : fs::directory_iterator(snapshots)) {
      if (!fs::exists(entry.path() / "config.json")) continue;
      auto t = fs::last_write_time(entry.path(), ec);
      if (newest.empty() || t > newest_time) newest = entry.path(), newest_time = t;
    }
    if (!newest.empty()) return newest;
    throw_bad_input(path.string() +
                    " looks like a Hugging Face cache entry but has no snapshot with a config.json");
  }
  throw_bad_input("no config.json in " + path.string() + " (expected a Hugging Face model directory)");
}

Checkpoint Checkpoint::open(const fs::path& path) {
  Checkpoint ckpt;
  ckpt.dir = resolve_model_dir(path);
  ckpt.config = read_model_config(ckpt.dir);
  ckpt.tensors = TensorStore::open(ckpt.dir);
  return ckpt;
}

}  // namespace llmdrop
