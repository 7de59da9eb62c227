#pragma once
// The default importance map of a checkpoint in one call (torch-free, for the GUI): a few calibration blocks
// of the bundled held-out text, cosine similarity with LLM-Drop's defaults.
#include <filesystem>
#include <string>

#include "analysis/scores.h"
#include "jobs/job.h"

namespace llmdrop {

struct QuickScoreRequest {
  std::filesystem::path model_dir;
  std::filesystem::path data;  // calibration text (read_text_documents formats)
  int64_t samples = 16;
  int64_t seq_len = 256;  // capped at the model's max_position_embeddings
  int64_t batch_size = 4;
  std::string device = "cpu";
  std::string dtype = "auto";
};

// Loads the model, builds the blocks and scores every layer; progress and cancellation through `job`.
ImportanceScores score_checkpoint(const QuickScoreRequest& request, JobContext& job);

}  // namespace llmdrop
