#pragma once
// export_pruned for exports that change tensors (quantization): torch-dependent, so core-only, unlike
// exporter.h which the workbench includes.
#include <ATen/core/Tensor.h>

#include <map>
#include <optional>
#include <set>
#include <string>

#include "export/exporter.h"

namespace llmdrop {

// What an export changes of the source's tensors, named with the source's layer numbers: a quantized
// linear's .weight removed and its packed tensors added; AWQ's rescaled norms replacing the originals.
struct TensorOverrides {
  std::set<std::string> removed;
  std::map<std::string, at::Tensor> added;  // CPU tensors; one of a source tensor's name replaces it
  nlohmann::json config_patch = nlohmann::json::object();  // merged into config.json
  std::optional<c10::ScalarType> float_dtype;              // every floating tensor written in it
};

void export_pruned(const Checkpoint& source, const DropPlan& plan, const std::filesystem::path& out,
                   const nlohmann::json& record, JobContext& job, const TensorOverrides& overrides);

// PATH as one safetensors file (written to a temporary name, renamed into place): name → CPU tensor of
// float32, bfloat16, float16 or int32. Reports and checks for cancellation per tensor.
void write_safetensors(const std::filesystem::path& path, const std::map<std::string, at::Tensor>& tensors,
                       JobContext& job = JobContext::silent());

}  // namespace llmdrop
