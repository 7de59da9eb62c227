#pragma once
// Importance scores of a checkpoint in one call: calibration blocks from a text file, the model loaded with
// the requested drops, one scoring pass. Front ends score in a Session (session/jobs.h); this remains as the
// tests' load-per-call reference.
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

}  // namespace llmdrop
