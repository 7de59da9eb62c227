#pragma once
// GPTQ / AWQ / round-to-nearest over a whole checkpoint, streamed one decoder layer at a time: only the
// current layer's weights (loaded from the memory-mapped checkpoint) and the calibration activations live on
// the device, so a model larger than device memory can be quantized. Dropped modules are skipped and their
// drop lists kept. The result is written as a GPTQ- or AWQ-format checkpoint (quant/formats.h).
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "checkpoint/checkpoint.h"
#include "checkpoint/drop_plan.h"
#include "checkpoint/quant_scheme.h"
#include "jobs/job.h"

namespace llmdrop {

struct QuantizeRequest {
  QuantScheme scheme;          // per-module rules in scheme.dynamic (module_rules)
  std::filesystem::path data;  // calibration text (read_text_documents formats); unused by rtn
  int64_t samples = 128;       // calibration blocks of seq_len tokens
  int64_t seq_len = 2048;
  int64_t batch_size = 1;  // blocks per forward pass (memory only; the numbers do not change)
  std::string device = "cpu";
  std::string dtype = "auto";  // the precision the calibration activations are computed in
  DropPlan drops;
};

struct QuantizeResult {
  int64_t linears = 0;  // linear layers quantized (q, k, v, o, gate, up, down count one each)
  int64_t tokens = 0;   // calibration tokens
  double seconds = 0;   // quantization, without writing
  // Where the time went: the model without its layers and the calibration's embeddings; each layer's
  // weights read in; the layers' quantization (calibration passes included); writing the checkpoint.
  double load_seconds = 0, layer_load_seconds = 0, quantize_seconds = 0, write_seconds = 0;
  // The device's peak during the quantization: allocated bytes on a GPU, the process's resident set on the
  // CPU.
  int64_t peak_memory_bytes = 0;
};

// A per-module choice (the quantize command's --bits attn=8, --group-size layers.0-3.mlp=64, --skip mlp):
// which branches, and what they get.
struct ModuleChoice {
  std::string selection;  // attn, mlp, layers.I or layers.I-J (optionally .attn / .mlp), or lm_head
  std::optional<int> bits;
  std::optional<int64_t> group_size;
  bool skip = false;  // left unquantized (lm_head always is)
};
// The choices as GPTQModel `dynamic` rules on this checkpoint's module names: every layer's attention and MLP
// get `base`, then each choice that selects them in turn (a skip wins over the others); one rule per branch
// kind and outcome other than `base`, over the layers that have it, so that no two rules overlap. BadInput
// for a selection that names nothing, a layer past the model, or an outcome no format holds.
std::vector<QuantRule> module_rules(const ModelConfig& config, const QuantScheme& base,
                                    const std::vector<ModuleChoice>& choices);

// Writes OUT (must not exist or be empty) as export_pruned does; `record` goes to OUT/drop_record.json.
// Progress per layer; cancellable between layers and batches; a cancelled or failed run leaves nothing.
QuantizeResult quantize_checkpoint(const Checkpoint& checkpoint, const QuantizeRequest& request,
                                   const std::filesystem::path& out, const nlohmann::json& record,
                                   JobContext& job = JobContext::silent());

// A GPTQ / AWQ checkpoint written back as a dense float16 one: every packed linear replaced by its .weight,
// dequantized exactly as the engine does at load; quantization_config removed. For tools without quantized
// kernels, and to compare our dequantization with the ecosystem's (tools/quant_reference.py). Unpacked and
// dequantized on `device` (the same float16 values on any) as the writer reaches it, so one dense weight is
// held at a time: progress and cancellation per tensor written.
void export_dequantized(const Checkpoint& quantized, const std::filesystem::path& out,
                        const nlohmann::json& record, JobContext& job = JobContext::silent(),
                        const std::string& device = "cpu");

}  // namespace llmdrop
