#pragma once
// Named model shapes (Llama-2-7B, Mistral-7B, Llama-3-8B, …) for random-weight models: speed and memory can
// be studied without downloading a checkpoint (llmdrop bench --random-weights --shape NAME).
#include <string>
#include <vector>

#include "checkpoint/model_config.h"

namespace llmdrop {

// The config of a named shape; BadInput listing the known names otherwise.
ModelConfig shape_config(const std::string& name);
std::vector<std::string> shape_names();

}  // namespace llmdrop
