#pragma once
// A Hugging Face model directory, opened: its config and its (validated, memory-mapped) tensors.
#include <filesystem>
#include <memory>
#include <string>

#include "checkpoint/drop_plan.h"
#include "checkpoint/model_config.h"
#include "checkpoint/safetensors.h"

namespace llmdrop {

// A model directory, or a Hugging Face cache entry (.../hub/models--org--name) resolved to the snapshot
// refs/<revision> points at, else the snapshot named <revision> (a commit hash); for "main" without such a
// snapshot, the newest one. Throws BadInput when there is no such model.
std::filesystem::path resolve_model_dir(const std::filesystem::path& path,
                                        const std::string& revision = "main");

struct Checkpoint {
  std::filesystem::path dir;
  ModelConfig config;
  std::shared_ptr<TensorStore> tensors;

  // Opens the folder; BadInput when config.json and the weights disagree on the layers.
  static Checkpoint open(const std::filesystem::path& path);
};

// The modules this checkpoint holds no weights for, dense or packed (a pruned or quantized export leaves out
// what it dropped): every plan run on it must drop them. Empty for a checkpoint without tensors.
DropPlan modules_without_weights(const Checkpoint& checkpoint);

// A digest of config.json and the safetensors headers, sizes and times: which weights a result was computed
// on.
std::string weights_fingerprint(const Checkpoint& checkpoint);

}  // namespace llmdrop
