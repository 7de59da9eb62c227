#include "checkpoint/default_model.h"

#include <cstdlib>
#include <vector>

namespace llmdrop {
namespace fs = std::filesystem;

namespace {
// $ENV, then <prefix>/share/llmdrop/RELATIVE beside an installed binary, then resources/RELATIVE in the
// source tree this build came from; the first that holds `marker` (a file below the candidate, or the file
// itself).
std::optional<fs::path> find_bundled(const char* env_name, const fs::path& executable_dir,
                                     const fs::path& relative, const fs::path& marker) {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv(env_name); env && *env) candidates.emplace_back(env);
  candidates.push_back(executable_dir / ".." / "share" / "llmdrop" / relative);
  candidates.push_back(fs::path(LLMDROP_SOURCE_DIR) / "resources" / relative);
  std::error_code ec;
  for (const auto& path : candidates)
    if (fs::is_regular_file(marker.empty() ? path : path / marker, ec)) return fs::weakly_canonical(path, ec);
  return std::nullopt;
}
}  // namespace

std::optional<fs::path> find_demo_model(const fs::path& executable_dir) {
  return find_bundled("LLMDROP_DEMO_MODEL", executable_dir, fs::path("models") / "demo", "config.json");
}

std::optional<fs::path> find_default_calibration(const fs::path& executable_dir) {
  return find_bundled("LLMDROP_CALIBRATION", executable_dir, fs::path("text") / "demo_heldout.txt", {});
}

std::optional<fs::path> find_builtin_tasks(const fs::path& executable_dir) {
  return find_bundled("LLMDROP_BUILTIN_TASKS", executable_dir, "tasks", "README.md");
}

fs::path executable_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : exe.parent_path();
}

}  // namespace llmdrop
