#pragma once
// Perplexity of a text: tokens without BOS, non-overlapping windows of seq_len-1 tokens, each window with
// BOS prepended, every token after BOS scored; ppl = exp(mean NLL).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "jobs/job.h"

namespace llmdrop {

class Model;
struct Checkpoint;
struct DropPlan;

struct PerplexityResult {
  double ppl = 0;
  double mean_nll = 0;
  int64_t tokens = 0;  // scored tokens
  int64_t windows = 0;
};

// max_windows: 0 = all. Progress per window; cancellable between windows.
PerplexityResult perplexity(const Model& model, const std::vector<int64_t>& tokens,
                            std::optional<int64_t> bos, int64_t seq_len, int64_t max_windows = 0,
                            JobContext& job = JobContext::silent());

}  // namespace llmdrop
