#pragma once
// Device and dtype choices as users write them: "cpu", "cuda", "cuda:1"; "float32", "bf16", "auto", ...
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <string>
#include <vector>

namespace llmdrop {

struct ModelConfig;

// Throws BadInput for a malformed name or a CUDA device this build or machine does not have.
c10::Device parse_device(const std::string& name);
// Several devices as one name, "cuda:0,cuda:1" (what split_devices reads back).
std::string device_list(const std::vector<c10::Device>& devices);
// "auto" is float32 on the CPU and the checkpoint's own dtype on a GPU.
c10::ScalarType parse_dtype(const std::string& name, const ModelConfig& config, c10::Device device);
std::string dtype_name(c10::ScalarType dtype);
size_t dtype_size(c10::ScalarType dtype);

}  // namespace llmdrop
