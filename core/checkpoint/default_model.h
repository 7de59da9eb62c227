#pragma once
// Bundled resources: the demo model (resources/models/demo), which every command uses when no model is
// given, and the calibration text the workbench scores with by default.
#include <filesystem>
#include <optional>
#include <string>

namespace llmdrop {

// Looks in $LLMDROP_DEMO_MODEL, then beside an installed binary (<prefix>/share/llmdrop/models/demo), then in
// the source tree this build came from. `executable_dir` is the folder of the running binary.
std::optional<std::filesystem::path> find_demo_model(const std::filesystem::path& executable_dir);

// The bundled calibration text (resources/text/demo_heldout.txt): $LLMDROP_CALIBRATION, then
// <prefix>/share/llmdrop/text/demo_heldout.txt beside an installed binary, then the source tree.
std::optional<std::filesystem::path> find_default_calibration(const std::filesystem::path& executable_dir);

// The built-in evaluation tasks (resources/tasks): $LLMDROP_BUILTIN_TASKS, then <prefix>/share/llmdrop/tasks,
// then the source tree.
std::optional<std::filesystem::path> find_builtin_tasks(const std::filesystem::path& executable_dir);

// A Hugging Face repo id ("org/name", or "org/name@revision"), found offline as transformers finds it: the
// entry models--org--name of the hub cache ($HF_HUB_CACHE, else $HF_HOME/hub, else
// $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub), at the snapshot refs/<revision> (default
// main) names. nullopt when `name` is no repo id; BadInput naming the places searched when the cache lacks
// it. Callers ask only for names that are not a local path.
std::optional<std::filesystem::path> find_hf_cache_model(const std::string& name);

// The folder of the running binary (Linux: /proc/self/exe).
std::filesystem::path executable_dir();

}  // namespace llmdrop
