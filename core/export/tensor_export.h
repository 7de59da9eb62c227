#pragma once
// export_pruned for exports that change tensors (quantization): torch-dependent, so core-only, unlike
// exporter.h which the workbench includes.
#include <ATen/core/Tensor.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "export/exporter.h"

namespace llmdrop {

// A tensor an export writes: its shape and dtype known up front (the file's header comes first), its values
// made when they are written, so that an export holds one made tensor at a time (a 7B's dequantized or
// merged weights are 13.5 GB).
struct ExportTensor {
  std::vector<int64_t> shape;
  at::ScalarType dtype = at::kFloat;
  std::function<at::Tensor()> make;  // a CPU tensor of that shape and dtype

  static ExportTensor of(const at::Tensor& made);  // one that exists already (a CPU tensor)
};

// What an export changes of the source's tensors, named with the source's layer numbers: a quantized
// linear's .weight removed and its packed tensors added; AWQ's rescaled norms replacing the originals; a
// dequantized or merged weight replacing the stored one.
struct TensorOverrides {
  std::set<std::string> removed;
  std::map<std::string, ExportTensor> added;               // one of a source tensor's name replaces it
  nlohmann::json config_patch = nlohmann::json::object();  // merged into config.json
  std::optional<c10::ScalarType> float_dtype;              // every floating tensor written in it
};

void export_pruned(const Checkpoint& source, const DropPlan& plan, const std::filesystem::path& out,
                   const nlohmann::json& record, JobContext& job, const TensorOverrides& overrides);

// PATH as one safetensors file (written to a temporary name, renamed into place): name → tensor of float32,
// bfloat16, float16 or int32, each made as it is written. Reports and checks for cancellation per tensor.
void write_safetensors(const std::filesystem::path& path, const std::map<std::string, ExportTensor>& tensors,
                       JobContext& job = JobContext::silent());
void write_safetensors(const std::filesystem::path& path, const std::map<std::string, at::Tensor>& tensors,
                       JobContext& job = JobContext::silent());

}  // namespace llmdrop
