#pragma once
// Loglikelihood scoring of (context, continuation) token requests, as lm-eval's HF backend computes them, but
// with every shared context computed once: requests with the same context are packed into one sequence
// (context, then each continuation), and a mask lets each continuation see only the context and itself.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "jobs/job.h"

namespace llmdrop {

class Communicator;
class Model;

struct TokenRequest {
  std::vector<int64_t> context;       // non-empty (lm-eval uses [BOS] for an empty context)
  std::vector<int64_t> continuation;  // non-empty
};

struct TokenScore {
  double loglikelihood = 0;  // Σ log p(continuation tokens)
  bool greedy = false;       // every continuation token is the argmax
};

struct ScoringOptions {
  int64_t batch_size = 16;       // packed sequences per forward pass
  int64_t max_length = 0;        // the model's context; 0 = max_position_embeddings
  int64_t max_batch_tokens = 0;  // cap on batch × packed length; 0 = batch_size × max_length
  // Data parallel: this rank scores every size-th packed sequence (longest first, so the shares are alike)
  // on its own replica; every rank returns every score.
  std::shared_ptr<const Communicator> data_parallel;
};

// Called after each forward pass with the requests it finished (indices into the requests) and every score so
// far (those of the finished requests are final), so that a caller can keep results before a cancellation.
// With data parallelism, once at the end with every request.
using ScoredFn =
    std::function<void(const std::vector<size_t>& finished, const std::vector<TokenScore>& scores)>;

// Input of each request = (context + continuation)[-(max_length+1):][:-1] as lm-eval builds it. Progress
// counts requests; cancellable between batches.
std::vector<TokenScore> score_requests(const Model& model, const std::vector<TokenRequest>& requests,
                                       const ScoringOptions& options, JobContext& job = JobContext::silent(),
                                       const ScoredFn& scored = {});

}  // namespace llmdrop
