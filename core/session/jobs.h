#pragma once
// What the workbench and the CLI run against a session: each job names the drop plan it needs, waits for its
// turn in the session's queue, and returns a typed value. Progress and cancellation through `job`.
// Torch-free.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "analysis/lens.h"
#include "analysis/scores.h"
#include "analysis/selection.h"
#include "bench/speed.h"
#include "eval/evaluator.h"
#include "eval/perplexity.h"
#include "session/session.h"

namespace llmdrop {

// Importance scoring on calibration text.
struct ScoreJob {
  std::filesystem::path data;  // calibration text (read_text_documents formats); empty: random token ids
                               // (seed 0), for timing a model without a tokenizer (random weights)
  int64_t samples = 16;
  int64_t seq_len = 256;
  DropPlan drops;  // the plan scored (modules already dropped score as such)
  ScoreOptions options;
  // Metric task:NAME: each task's NLL increases on its first `task_limit` documents (0: all) per subtask,
  // from `task_data`, scored `task_batch_size` sequences at a time.
  std::vector<std::string> tasks;
  int64_t task_limit = 0;
  DataSources task_data;
  int64_t task_batch_size = 16;
};

ImportanceScores score(Session& session, const ScoreJob& request, JobContext& job);
// LLM-Drop's iterative selection from request.drops: drop the most redundant module, re-score, n times.
DropPlan select_iterative(Session& session, const ScoreJob& request, const DropTarget& target, int64_t n,
                          const SelectionOptions& selection, JobContext& job);
// Perplexity of the last `max_tokens` tokens of `text_file` in windows of `seq_len` (capped at the model's
// context), each window starting with BOS when the model has one.
PerplexityResult text_perplexity(Session& session, const DropPlan& plan,
                                 const std::filesystem::path& text_file, int64_t max_tokens, int64_t seq_len,
                                 JobContext& job);
// Every round for each plan in turn (the model is left at the last plan); results[plan][round].
std::vector<std::vector<SpeedResult>> measure_speed(Session& session, const std::vector<DropPlan>& plans,
                                                    const SpeedOptions& options, JobContext& job);
// The decode speedup of `plan` over `baseline`, interleaved until it settles (bench/speed.h); the session is
// left at `plan`.
SpeedupMeasurement measure_speedup(Session& session, const DropPlan& baseline, const DropPlan& plan,
                                   const SpeedupOptions& options, JobContext& job);
// The greedy continuation of `prompt` (BOS prepended when the model has one, stopping at EOS).
std::string generate_text(Session& session, const DropPlan& plan, const std::string& prompt,
                          int64_t max_new_tokens, JobContext& job);
EvalResults evaluate(Session& session, const DropPlan& plan, const EvalOptions& options, JobContext& job);

// The logit lens (analysis/lens.h) of `prompt` (BOS prepended when the model has one) under `plan`, with the
// text of every token it shows.
struct LensView {
  std::vector<LensRow> rows;
  std::vector<std::string> prompt;            // each position's token
  std::map<int64_t, std::string> token_text;  // every predicted id's text
};
LensView logit_lens(Session& session, const DropPlan& plan, const std::string& prompt, int64_t k,
                    JobContext& job);

}  // namespace llmdrop
