#include "checkpoint/default_model.h"

#include <cstdlib>
#include <vector>

namespace llmdrop {
namespace fs = std::filesystem;

std::optional<fs::path> find_demo_model(const fs::path& executable_dir) {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("LLMDROP_DEMO_MODEL"); env && *env) candidates.emplace_back(env);
  candidates.push_back(executable_dir / ".." / "share" / "llmdrop" / "models" / "demo");
  candidates.push_back(fs::path(LLMDROP_SOURCE_DIR) / "resources" / "models" / "demo");
  std::error_code ec;
  for (const auto& dir : candidates)
    if (fs::exists(dir / "config.json", ec)) return fs::weakly_canonical(dir, ec);
  return std::nullopt;
}

fs::path executable_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : exe.parent_path();
}

}  // namespace llmdrop
