#pragma once
// The bundled demo model (resources/models/demo), which every command uses when no model is given.
#include <filesystem>
#include <optional>

namespace llmdrop {

// Looks in $LLMDROP_DEMO_MODEL, then beside an installed binary (<prefix>/share/llmdrop/models/demo), then in
// the source tree this build came from. `executable_dir` is the folder of the running binary.
std::optional<std::filesystem::path> find_demo_model(const std::filesystem::path& executable_dir);

// The folder of the running binary (Linux: /proc/self/exe).
std::filesystem::path executable_dir();

}  // namespace llmdrop
