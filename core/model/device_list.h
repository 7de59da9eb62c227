#pragma once
// The devices this build and machine offer, torch-free for the GUI.
#include <string>
#include <vector>

#include "checkpoint/model_config.h"

namespace llmdrop {

// A device name is one device ("cpu", "cuda:1") or several as a comma-separated list: one model with its
// layers placed over them (LoadOptions::placement).
// "cpu", then "cuda:0", "cuda:1", … for each CUDA device present, then, with two or more, all of them as
// one list ("cuda:0,cuda:1": all GPUs).
std::vector<std::string> available_devices();
// The devices of a name: "cuda:0,cuda:1" → {"cuda:0", "cuda:1"}; "cpu" → {"cpu"}.
std::vector<std::string> split_devices(const std::string& names);
// Throws BadInput for a malformed name or a device this build or machine does not have (as parse_device).
void check_device(const std::string& name);
// For a menu: "cuda:0 (79.3 GB free)", "all GPUs: cuda:0,cuda:1 (79.3 GB + 79.3 GB free)", "cpu (24.7 GB
// free)": what a model's weights can take there now.
std::string describe_device(const std::string& name);
// The precisions a model can run in: "auto" (the checkpoint's on a GPU, float32 on the CPU), then the
// explicit ones.
std::vector<std::string> dtype_names();
// Throws BadInput for an unknown name, or a precision whose matrix products `device` lacks in this build.
void check_dtype(const std::string& device, const std::string& dtype);
// The element type a model of `config` gets on `device` for `dtype` ("auto" resolved): "float32", …
std::string resolve_dtype(const std::string& device, const std::string& dtype, const ModelConfig& config);

}  // namespace llmdrop
