#include "checkpoint/default_model.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <vector>

#include "checkpoint/checkpoint.h"
#include "util/error.h"

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

namespace {
// A variable's value, or nullptr when it is unset or empty.
const char* env_value(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? value : nullptr;
}

// huggingface_hub's cache folder (its constants.py) and the setting that chose it.
std::pair<fs::path, std::string> hf_hub_cache() {
  const fs::path home = env_value("HOME") ? env_value("HOME") : "/";
  for (const char* name : {"HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"})
    if (const char* value = env_value(name)) return {value, "$" + std::string(name)};
  if (const char* hf_home = env_value("HF_HOME")) {
    const std::string value = hf_home;  // expanded as os.path.expanduser does
    return {(value.rfind("~/", 0) == 0 ? home / value.substr(2) : fs::path(value)) / "hub", "$HF_HOME/hub"};
  }
  if (const char* xdg = env_value("XDG_CACHE_HOME"))
    return {fs::path(xdg) / "huggingface" / "hub", "$XDG_CACHE_HOME/huggingface/hub"};
  return {home / ".cache" / "huggingface" / "hub", "~/.cache/huggingface/hub"};
}

// An owner, a repository name or a revision, in the characters the Hub allows (no '/', no leading '.').
bool is_hub_name(const std::string& s) {
  return !s.empty() && std::isalnum(static_cast<unsigned char>(s[0])) &&
         std::all_of(s.begin(), s.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
         });
}
}  // namespace

std::optional<fs::path> find_hf_cache_model(const std::string& name) {
  const size_t at = name.find('@'), slash = name.find('/');
  if (slash == std::string::npos || slash > at) return std::nullopt;
  const std::string owner = name.substr(0, slash), repo = name.substr(slash + 1, at - slash - 1);
  const std::string revision = at == std::string::npos ? "main" : name.substr(at + 1);
  if (!is_hub_name(owner) || !is_hub_name(repo) || !is_hub_name(revision)) return std::nullopt;
  const auto [cache, chosen_by] = hf_hub_cache();
  const fs::path entry = cache / ("models--" + owner + "--" + repo);
  std::error_code ec;
  if (fs::is_directory(entry, ec)) return resolve_model_dir(entry, revision);
  throw_bad_input("no model " + name + ": neither a folder nor in the Hugging Face cache\nsearched: " +
                  fs::absolute(owner + "/" + repo, ec).string() + "\nsearched: " + entry.string() +
                  " (the hub cache, from " + chosen_by + ")\ndownload it first (huggingface-cli download " +
                  owner + "/" + repo + ") or give the model's folder");
}

fs::path executable_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : exe.parent_path();
}

}  // namespace llmdrop
