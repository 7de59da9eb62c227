#pragma once
// Per-layer redundancy of blocks, attention and MLP modules, measured in one streaming pass over the
// calibration blocks through the model's hidden-state observer (nothing but running sums is kept):
// - cosine similarity of a module's input and output residual stream, as LLM-Drop defines it (per token in
//   fp32, averaged over every token of every block); importance = 1 − similarity;
// - angular distance arccos(cos)/π (ShortGPT / Gromov et al.) on the same pairs;
// - optionally the consecutive matrix cos(h_i, h_{i+g}) (h_i: input of layer i, h_L: last output);
// - optionally the measured effect of dropping each module alone: the increase in mean NLL (SLEB-style);
// - on a task's gold answers instead of calibration text, the same increase (task_importance).
#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

#include "analysis/scores.h"
#include "eval/evaluator.h"
#include "eval/loglikelihood.h"
#include "jobs/job.h"

namespace llmdrop {

class Model;

// blocks: (n, seq_len) token ids. Progress per batch (and per module for NLL deltas); cancellable between
// them. The model's drop plan is the same afterwards.
ImportanceScores score_layers(Model& model, const at::Tensor& blocks, const ScoreOptions& options,
                              JobContext& job = JobContext::silent());

// The NLL increase per gold-answer token of leaving each module out, on `gold` (gold_requests of one task
// with `limit` documents per subtask). Progress per pass over the requests; cancellable between batches.
// The model's drop plan is the same afterwards.
TaskImportance task_importance(Model& model, const std::string& task, int64_t limit, const GoldRequests& gold,
                               const ScoringOptions& scoring, JobContext& job = JobContext::silent());

}  // namespace llmdrop
