#pragma once
// Writing what the analysis chose, for the Python ecosystem. Nothing in the source model directory is ever
// written; every file is written to a temporary name and renamed into place.
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "checkpoint/checkpoint.h"
#include "checkpoint/drop_plan.h"
#include "jobs/job.h"

namespace llmdrop {

// LLM-Drop style: OUT/config.json = the original config + sorted drop_attn_list / drop_mlp_list (+ the
// auto_map LLM-Drop uses for llama, mistral and gemma2); every other file of the source is symlinked.
// `record` goes to OUT/drop_record.json. OUT must not exist or be empty. BadInput when OUT cannot take an
// export of `source`: inside the source folder, or an existing file or non-empty folder. Nothing is created;
// every export checks again before it writes.
void check_export_output(const Checkpoint& source, const std::filesystem::path& out);

void export_drop_config(const Checkpoint& source, const DropPlan& plan, const std::filesystem::path& out,
                        const nlohmann::json& record);

// OUT/model.safetensors without the dropped modules' tensors (other files copied). When only whole blocks are
// dropped the remaining layers are renumbered and num_hidden_layers lowered, so plain transformers loads it;
// otherwise config.json keeps the drop lists (and auto_map). Progress per tensor; a cancelled export leaves
// nothing behind.
void export_pruned(const Checkpoint& source, const DropPlan& plan, const std::filesystem::path& out,
                   const nlohmann::json& record, JobContext& job = JobContext::silent());

// The layers export_pruned keeps under `plan`, old index → new: renumbered when only whole blocks go, else
// unchanged.
std::map<int64_t, int64_t> kept_layers(const ModelConfig& config, const DropPlan& plan);
// A tensor's name in export_pruned's output (its layer renumbered when whole blocks go); nothing when its
// layer goes. BadInput for a layer past config.json's.
std::optional<std::string> exported_tensor_name(const ModelConfig& config, const DropPlan& plan,
                                                const std::string& name);

}  // namespace llmdrop
