#include "model/device.h"

#include <ATen/ATen.h>
#include <ATen/Context.h>

#include <algorithm>

#include "checkpoint/model_config.h"
#include "model/device_list.h"
#include "model/device_memory.h"
#include "model/memory_plan.h"
#include "util/error.h"
#include "util/parse.h"

namespace llmdrop {

c10::Device parse_device(const std::string& name) {
  if (name == "cpu") return c10::Device(c10::kCPU);
  if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
    int index = 0;
    if (name.size() > 5) {
      size_t used = 0;
      try {
        index = std::stoi(name.substr(5), &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != name.size() - 5 || index < 0)
        throw_bad_input("device '" + name + "' is not cpu, cuda or cuda:N");
    }
    if (!at::hasCUDA()) throw_bad_input("device '" + name + "': this build or machine has no CUDA");
    if (index >= static_cast<int>(at::getNumGPUs()))
      throw_bad_input("device '" + name + "': only " + std::to_string(at::getNumGPUs()) +
                      " CUDA device(s) present");
    return c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(index));
  }
  throw_bad_input("device '" + name + "' is not cpu, cuda or cuda:N");
}

std::string device_list(const std::vector<c10::Device>& devices) {
  std::string names;
  for (const c10::Device d : devices) names += (names.empty() ? "" : ",") + d.str();
  return names;
}

std::vector<std::string> available_devices() {
  std::vector<std::string> devices = {"cpu"};
  std::string gpus;
  if (at::hasCUDA())
    for (size_t i = 0; i < at::getNumGPUs(); ++i) {
      devices.push_back("cuda:" + std::to_string(i));
      gpus += (i ? "," : "") + devices.back();
    }
  if (devices.size() > 2) devices.push_back(gpus);
  return devices;
}

std::vector<std::string> split_devices(const std::string& names) {
  return split_commas(names);
}

void check_device(const std::string& name) {
  for (const auto& device : split_devices(name)) parse_device(device);
}

std::string describe_device(const std::string& name) {
  const std::vector<std::string> devices = split_devices(name);
  std::string free;
  for (const auto& device : devices)
    free += (free.empty() ? "" : " + ") + gigabytes(available_memory_bytes(parse_device(device)));
  return (devices.size() > 1 ? "all GPUs: " : "") + name + " (" + free + " free)";
}

std::vector<std::string> dtype_names() {
  return {"auto", "float32", "bfloat16", "float16"};
}

namespace {
void check_dtype_on(const std::string& device, const std::string& dtype) {
  const c10::Device where = parse_device(device);
  const c10::ScalarType type = parse_dtype(dtype, ModelConfig{}, where);
  try {  // e.g. Debian's CPU libtorch 1.13 has no float16 matrix products
    const at::Tensor probe = at::ones({2, 2}, at::TensorOptions().dtype(type).device(where));
    at::matmul(probe, probe);
  } catch (const std::exception&) {
    throw_bad_input(dtype + " is not available on " + device + " in this build (no " + dtype_name(type) +
                    " matrix products)");
  }
}
}  // namespace

void check_dtype(const std::string& devices, const std::string& dtype) {
  for (const auto& device : split_devices(devices)) check_dtype_on(device, dtype);
}

std::string resolve_dtype(const std::string& device, const std::string& dtype, const ModelConfig& config) {
  return dtype_name(parse_dtype(dtype, config, parse_device(split_devices(device).front())));
}

c10::ScalarType parse_dtype(const std::string& name, const ModelConfig& config, c10::Device device) {
  if (name == "float32" || name == "fp32" || name == "float") return c10::kFloat;
  if (name == "bfloat16" || name == "bf16") return c10::kBFloat16;
  if (name == "float16" || name == "fp16" || name == "half") return c10::kHalf;
  if (name == "auto") {
    if (device.is_cpu()) return c10::kFloat;
    if (config.dtype == "float16") return c10::kHalf;
    if (config.dtype == "float32") return c10::kFloat;
    return c10::kBFloat16;
  }
  throw_bad_input("dtype '" + name + "' is not float32, bfloat16, float16 or auto");
}

std::string dtype_name(c10::ScalarType dtype) {
  switch (dtype) {
    case c10::kFloat:
      return "float32";
    case c10::kBFloat16:
      return "bfloat16";
    case c10::kHalf:
      return "float16";
    default:
      return c10::toString(dtype);
  }
}

size_t dtype_size(c10::ScalarType dtype) {
  return c10::elementSize(dtype);
}

}  // namespace llmdrop
