#pragma once
// Perplexity of a text: tokens without BOS, non-overlapping windows of seq_len-1 tokens, each window with
// BOS prepended, every token after BOS scored; ppl = exp(mean NLL).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "checkpoint/drop_plan.h"
#include "jobs/job.h"

namespace at {
class Tensor;
}

namespace llmdrop {

class Model;
struct Checkpoint;

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

// The perplexity of one text under the plans tried one after another on one model. It keeps the residual
// stream entering each layer from its last measurement, so a plan that changes layers from L on re-runs only
// those (LLM-Drop drops mostly deep layers), and the same plan again is not re-run at all. The kept states
// take at most `kept_bytes` (every k-th layer's when all would not fit; 0: nothing is kept, each
// measurement runs in full). Not thread-safe.
class TextPerplexity {
 public:
  static constexpr int64_t kKeptBytes = int64_t{1} << 30;
  TextPerplexity(const std::vector<int64_t>& tokens, std::optional<int64_t> bos, int64_t seq_len,
                 int64_t max_windows = 0, int64_t kept_bytes = kKeptBytes);
  ~TextPerplexity();
  // Under `model`'s current drops; the kept states are dropped when the model is another. (A model's weights
  // change only with its drops.)
  PerplexityResult measure(const Model& model, JobContext& job = JobContext::silent());

 private:
  std::vector<std::vector<int64_t>> windows_;  // each with BOS when there is one; at least two tokens
  int64_t total_windows_ = 0;                  // as reported: the lone-token window included
  int64_t kept_bytes_;
  uint64_t model_ = 0;  // the serial of the model the states were kept on, under drops_
  DropPlan drops_;
  std::optional<PerplexityResult> result_;
  int64_t keep_every_ = 1;
  std::vector<std::vector<at::Tensor>> kept_;  // [window][layer / keep_every_] (1, T, hidden)
};

}  // namespace llmdrop
