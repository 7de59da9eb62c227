#pragma once
// Scoring and generation on a loaded model.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "jobs/job.h"

namespace at {
class Tensor;
}

namespace llmdrop {

class Model;

// log p(ids[t+1] | ids[..t]) for every t, from one forward pass: ids.size()-1 values.
std::vector<double> next_token_logprobs(const Model& model, const std::vector<int64_t>& ids);
// The same from the pass's logits (1, T, V).
std::vector<double> next_token_logprobs(const at::Tensor& logits, const std::vector<int64_t>& ids);

struct SamplingOptions {
  int64_t max_new_tokens = 32;
  bool greedy = true;
  double temperature = 1.0;
  double top_p = 1.0;
  uint64_t seed = 0;
  bool cuda_graphs = true;            // decode steps as one CUDA graph launch each (GPU only)
  std::optional<int64_t> stop_token;  // usually EOS; generation ends after producing it
  // Called with the tokens generated so far after each step; true ends generation (stop strings).
  std::function<bool(const std::vector<int64_t>&)> stop_when;
};

// Continues `prompt` (which already holds BOS when the model wants one) using the KV cache.
std::vector<int64_t> generate(const Model& model, const std::vector<int64_t>& prompt,
                              const SamplingOptions& options, JobContext& job = JobContext::silent());

}  // namespace llmdrop
