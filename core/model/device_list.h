#pragma once
// The devices this build and machine offer, torch-free for the GUI.
#include <string>
#include <vector>

#include "checkpoint/model_config.h"

namespace llmdrop {

// "cpu", then "cuda:0", "cuda:1", … for each CUDA device present.
std::vector<std::string> available_devices();
// Throws BadInput for a malformed name or a device this build or machine does not have (as parse_device).
void check_device(const std::string& name);
// The precisions a model can run in: "auto" (the checkpoint's on a GPU, float32 on the CPU), then the
// explicit ones.
std::vector<std::string> dtype_names();
// Throws BadInput for an unknown name, or a precision whose matrix products `device` lacks in this build.
void check_dtype(const std::string& device, const std::string& dtype);
// The element type a model of `config` gets on `device` for `dtype` ("auto" resolved): "float32", …
std::string resolve_dtype(const std::string& device, const std::string& dtype, const ModelConfig& config);

}  // namespace llmdrop
