#pragma once
// Importance scores as plain data (torch-free, for the GUI): per-layer similarity of blocks, attention and
// MLP.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "checkpoint/drop_plan.h"

namespace llmdrop {

class Communicator;

enum class ModuleKind { Block, Attn, Mlp };
enum class Metric { Cosine, Angular, NllDelta, Kl, Js, AngularLast, Task };
const char* to_string(ModuleKind kind);
// A block counts as dropped when both its attention and its MLP are.
inline bool is_dropped(const DropPlan& plan, ModuleKind kind, int64_t layer) {
  switch (kind) {
    case ModuleKind::Attn:
      return plan.attn_dropped(layer);
    case ModuleKind::Mlp:
      return plan.mlp_dropped(layer);
    case ModuleKind::Block:
      return plan.attn_dropped(layer) && plan.mlp_dropped(layer);
  }
  return false;
}
const char* to_string(Metric metric);
// `plan` with one module dropped, or restored when it already is; a block drops or restores both modules.
DropPlan toggled(DropPlan plan, ModuleKind kind, int64_t layer);
ModuleKind parse_module_kind(const std::string& name);  // block | attn | mlp
// cosine | angular | nll-delta | kl | js | angular-last | task:NAME[,NAME…] (or task: the kind alone)
Metric parse_metric(const std::string& name);
// The task names of a `task:NAME[,NAME…]` metric (BadInput when there are none); empty for the others.
std::vector<std::string> metric_tasks(const std::string& name);
// Whether a metric is measured by leaving each module out (a forward pass per module), not by similarity.
inline bool measured_by_removal(Metric metric) {
  return metric == Metric::NllDelta || metric == Metric::Kl || metric == Metric::Js || metric == Metric::Task;
}
// angular-last compares the states around spans of whole blocks: it needs the consecutive matrices.
inline bool needs_consecutive(Metric metric) {
  return metric == Metric::AngularLast;
}

struct ScoreOptions {
  int64_t batch_size = 1;
  bool layer_drop_norm = true;  // LLM-Drop's default: cos(h, h + F(LN(h))); off: cos(LN(h), F(LN(h)))
  bool consecutive = false;
  bool nll_delta = false;
  // FinerCut's measure: KL(p ‖ p without the module) and the Jensen–Shannon divergence, per token, averaged.
  bool divergence = false;
  // Data parallel: this rank scores its contiguous share of the blocks on its own replica, and the ranks'
  // sums are merged in float64, so every rank returns the scores of all the blocks.
  std::shared_ptr<const Communicator> data_parallel;
};

// One value per layer; NaN where the module is already dropped.
struct ModuleScores {
  std::vector<double> cosine;
  std::vector<double> angular;
  std::vector<double> nll_delta;  // empty unless requested
  std::vector<double> kl, js;     // empty unless requested (ScoreOptions::divergence)
  // Blocks only, with the consecutive matrices: d(i, i+1) on each block's last token (Gromov et al.).
  std::vector<double> angular_last;

  // Whether these scores have the metric's values (the measured ones only when requested; angular-last for
  // blocks only, with the consecutive matrices).
  bool has(Metric metric) const;
  // Higher = more redundant (what selection drops first).
  std::vector<double> similarity(Metric metric) const;
  // Higher = more important.
  std::vector<double> importance(Metric metric) const;
};

// The NLL increase of leaving each module out, measured on a task's gold answers (eval/evaluator.h's
// gold_requests) instead of calibration text: per gold-answer token, in each kind's nll_delta.
struct TaskImportance {
  std::string task;
  int64_t limit = 0;      // documents per (sub)task asked for; 0 = all
  int64_t documents = 0;  // documents scored
  int64_t tokens = 0;     // gold-answer tokens
  double base_nll = 0;    // mean NLL per gold-answer token with the current drops
  ModuleScores block, attn, mlp;

  const ModuleScores& of(ModuleKind kind) const;
  ModuleScores& of(ModuleKind kind);
};

struct ImportanceScores {
  ModuleScores block, attn, mlp;
  std::vector<std::vector<double>> consecutive;  // [i][g-1] = mean cos(h_i, h_{i+g}), g = 1..L-i
  // With the consecutive matrix, Gromov et al.'s d(i, i+g) = arccos(cos(h_i, h_{i+g})) / π on the last token
  // of each block, averaged over the blocks: [i][g-1].
  std::vector<std::vector<double>> last_token_angular;
  double base_nll = 0;                // mean next-token NLL with the current drops
  int64_t tokens = 0;                 // tokens the similarities average over
  DropPlan plan;                      // drops in place while scoring
  std::vector<TaskImportance> tasks;  // metric task:NAME, one per task

  const ModuleScores& of(ModuleKind kind) const;
  ModuleScores& of(ModuleKind kind);
  // The scores as they would be were `task`'s NLL increases the calibration's (their nll_delta): what
  // selection by task:NAME reads. BadInput when the scores lack the task.
  ImportanceScores for_task(const std::string& task) const;
};

}  // namespace llmdrop
