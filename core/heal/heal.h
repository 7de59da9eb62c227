#pragma once
// Healing after a drop: LoRA adapters on the kept attention and MLP projections, trained on calibration-style
// text ("pt" blocks, analysis/calibration.h) with the model's own weights frozen — AdamW as torch.optim.AdamW
// computes it, the learning rate on transformers' cosine schedule (linear warm-up), gradients clipped by
// their global norm, each layer's activations recomputed in the backward pass (gradient checkpointing per
// layer). Writes the merged checkpoint (export_pruned's, the drops kept) and the adapters in PEFT's layout.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checkpoint/checkpoint.h"
#include "checkpoint/drop_plan.h"
#include "jobs/job.h"

namespace llmdrop {

struct HealRequest {
  DropPlan drops;
  std::filesystem::path data;  // training text (read_text_documents formats)
  int64_t steps = 300;
  int64_t batch_size = 4;  // blocks per step
  int64_t seq_len = 512;
  int64_t rank = 16;
  double alpha = 32;  // scaling = alpha / rank
  double lr = 2e-4;
  int64_t warmup_steps = 0;
  double weight_decay = 0;
  double max_grad_norm = 1;  // ≤ 0: no clipping
  // Projection names as PEFT's target_modules (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj,
  // down_proj; the family's names, qkv_proj for Phi-3); empty: every one.
  std::vector<std::string> targets;
  uint64_t seed = 0;  // adapter initialisation and the order of the blocks
  std::string device = "cpu";
  std::string dtype = "auto";  // the frozen weights'; adapters and optimizer state are float32
  int64_t save_every = 50;     // steps between resumable states (0: none)
};

struct HealStep {
  int64_t step = 0;  // 1-based
  double loss = 0;   // the step's mean cross-entropy per predicted token
  double lr = 0;
  double tokens_per_second = 0;
};

struct HealResult {
  std::vector<HealStep> steps;  // every step, those of a resumed run's earlier part included
  int64_t resumed_at = 0;       // the step a resumed run started after (0: a fresh run)
  int64_t blocks = 0;           // distinct training blocks (reused in reshuffled epochs when fewer than
                                // steps × batch)
  int64_t adapted_linears = 0;
  int64_t trainable_parameters = 0;
  double seconds = 0;  // training, without loading and writing
  int64_t peak_memory_bytes = 0;
};

// Where a run keeps its resumable state: beside OUT, as OUT.heal-state.
std::filesystem::path heal_state_dir(const std::filesystem::path& out);

// Trains and writes OUT (must not exist or be empty): the merged checkpoint, OUT/adapter/
// (adapter_model.safetensors, adapter_config.json; tensor names as in OUT, relative to the model
// export_pruned writes for these drops) and OUT/heal_log.json. Every `save_every` steps, and when cancelled,
// the state goes to heal_state_dir(OUT); with `resume` a run whose request matches continues from there.
// Progress per step (its loss and tokens/s in the message); cancellable between layers. `on_step` sees every
// step.
HealResult heal(const Checkpoint& checkpoint, const HealRequest& request, const std::filesystem::path& out,
                const nlohmann::json& record, bool resume, JobContext& job = JobContext::silent(),
                const std::function<void(const HealStep&)>& on_step = {});

}  // namespace llmdrop
