#pragma once
// Importance scores of a checkpoint in one call, torch-free for the GUI and shared with the CLI: calibration
// blocks from a text file, the model loaded with the requested drops, one scoring pass (or the iterative
// selection's passes).
#include <filesystem>
#include <string>

#include "analysis/scores.h"
#include "analysis/selection.h"
#include "checkpoint/checkpoint.h"
#include "jobs/job.h"

namespace llmdrop {

struct ScoreCheckpointRequest {
  std::filesystem::path data;  // calibration text (read_text_documents formats)
  int64_t samples = 16;
  int64_t seq_len = 256;
  std::string device = "cpu";
  std::string dtype = "auto";
  DropPlan drops;
  ScoreOptions options;
};

// Progress (loading, then batches) and cancellation through `job`.
ImportanceScores score_checkpoint(const Checkpoint& checkpoint, const ScoreCheckpointRequest& request,
                                  JobContext& job);
// LLM-Drop's iterative selection on the request's calibration blocks, starting from request.drops: drop the
// most redundant module, re-score, n times (select_iterative).
DropPlan select_iterative_checkpoint(const Checkpoint& checkpoint, const ScoreCheckpointRequest& request,
                                     const DropTarget& target, int64_t n, const SelectionOptions& selection,
                                     JobContext& job);

}  // namespace llmdrop
