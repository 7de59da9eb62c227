#pragma once
// A Hugging Face model directory, opened: its config and its (validated, memory-mapped) tensors.
#include <filesystem>
#include <memory>
#include <string>

#include "checkpoint/model_config.h"
#include "checkpoint/safetensors.h"

namespace llmdrop {

// A model directory, or a Hugging Face cache entry (.../hub/models--org--name) resolved to the snapshot
// refs/main points at, else the newest snapshot. Throws BadInput when there is no such model.
std::filesystem::path resolve_model_dir(const std::filesystem::path& path);

struct Checkpoint {
  std::filesystem::path dir;
  ModelConfig config;
  std::shared_ptr<TensorStore> tensors;

  // Opens the folder; BadInput when config.json and the weights disagree on the layers.
  static Checkpoint open(const std::filesystem::path& path);
};

// A digest of config.json and the safetensors headers, sizes and times: which weights a result was computed
// on.
std::string weights_fingerprint(const Checkpoint& checkpoint);

}  // namespace llmdrop
