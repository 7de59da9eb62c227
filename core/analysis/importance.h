#pragma once
// Per-layer redundancy of blocks, attention and MLP modules, measured in one streaming pass over the
// calibration blocks through the model's hidden-state observer (nothing but running sums is kept):
// - cosine similarity of a module's input and output residual stream, as LLM-Drop defines it (per token in
//   fp32, averaged over every token of every block); importance = 1 − similarity;
// - angular distance arccos(cos)/π (ShortGPT / Gromov et al.) on the same pairs;
// - optionally the consecutive matrix cos(h_i, h_{i+g}) (h_i: input of layer i, h_L: last output);
// - optionally the measured effect of dropping each module alone: the increase in mean NLL (SLEB-style).
#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

#include "jobs/job.h"
#include "model/drop_plan.h"

namespace llmdrop {

class Model;

enum class ModuleKind { Block, Attn, Mlp };
enum class Metric { Cosine, Angular, NllDelta };
const char* to_string(ModuleKind kind);
const char* to_string(Metric metric);
ModuleKind parse_module_kind(const std::string& name);  // block | attn | mlp
Metric parse_metric(const std::string& name);           // cosine | angular | nll-delta

struct ScoreOptions {
  int64_t batch_size = 1;
  bool layer_drop_norm = true;  // LLM-Drop's default: cos(h, h + F(LN(h))); off: cos(LN(h), F(LN(h)))
  bool consecutive = false;
  bool nll_delta = false;
};

// One value per layer; NaN where the module is already dropped.
struct ModuleScores {
  std::vector<double> cosine;
  std::vector<double> angular;
  std::vector<double> nll_delta;  // empty unless requested

  // Higher = more redundant (what selection drops first).
  std::vector<double> similarity(Metric metric) const;
  // Higher = more important.
  std::vector<double> importance(Metric metric) const;
};

struct ImportanceScores {
  ModuleScores block, attn, mlp;
  std::vector<std::vector<double>> consecutive;  // [i][g-1] = mean cos(h_i, h_{i+g}), g = 1..L-i
  double base_nll = 0;                           // mean next-token NLL with the current drops
  int64_t tokens = 0;                            // tokens the similarities average over
  DropPlan plan;                                 // drops in place while scoring

  const ModuleScores& of(ModuleKind kind) const;
};

// blocks: (n, seq_len) token ids. Progress per batch (and per module for NLL deltas); cancellable between
// them. The model's drop plan is the same afterwards.
ImportanceScores score_layers(Model& model, const at::Tensor& blocks, const ScoreOptions& options,
                              JobContext& job = JobContext::silent());

}  // namespace llmdrop
