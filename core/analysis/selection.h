#pragma once
// Which modules to drop, from importance scores: LLM-Drop's strategies plus guards.
#include <string>
#include <vector>

#include "analysis/scores.h"
#include "checkpoint/drop_plan.h"
#include "jobs/job.h"

namespace at {
class Tensor;  // torch-free header: the GUI selects from scores too
}

namespace llmdrop {

class Model;

enum class Strategy { Discrete, Consecutive, Iterative };
Strategy parse_strategy(const std::string& name);  // discrete | consecutive | iterative

// What to drop: one module kind, or attention and MLP ranked together ("all", LLM-Drop's joint layer drop).
struct DropTarget {
  bool joint = false;
  ModuleKind kind = ModuleKind::Attn;  // when !joint
};
DropTarget parse_drop_target(const std::string& name);  // block | attn | mlp | all

struct SelectionOptions {
  Metric metric = Metric::Cosine;
  bool keep_first = false;  // never drop layer 0
  bool keep_last = false;   // never drop the last layer
};

// Discrete top-n: the n not-yet-dropped modules with the highest similarity, added to scores.plan.
DropPlan select_discrete(const ImportanceScores& scores, const DropTarget& target, int64_t n,
                         const SelectionOptions& options);
// Consecutive: the window of n whole blocks [i, i+n) with the highest cos(h_i, h_{i+n}) (gap n; LLM-Drop's
// script reads gap n+1, see docs), or with metric angular-last Gromov et al.'s (closest_spans). Needs
// scores.consecutive.
DropPlan select_consecutive(const ImportanceScores& scores, int64_t n, const SelectionOptions& options);
// Gromov et al.'s span choice: for each span length n = 1 … L, the window [first, first + n) of whole blocks
// (within the keep guards) whose last-token states are closest, d(first, first + n) =
// arccos(cos(h_first, h_first+n)) / π on each block's last token. Needs scores.last_token_angular.
struct Span {
  int64_t first = 0, n = 0;
  double distance = 0;
};
std::vector<Span> closest_spans(const ImportanceScores& scores, const SelectionOptions& options);

// Iterative: drop the most redundant module, re-score with it dropped, repeat n times. Leaves the model's
// drops as they were.
DropPlan select_iterative(Model& model, const at::Tensor& blocks, const DropTarget& target, int64_t n,
                          const ScoreOptions& score_options, const SelectionOptions& options,
                          JobContext& job = JobContext::silent());

}  // namespace llmdrop
