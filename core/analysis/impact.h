#pragma once
// What a drop plan removes and what it should buy, from the model's shape alone: parameters, KV cache and the
// bytes a decode step reads (batch 1 decoding streams every kept weight and the cache once per token, so
// the ratio of bytes read is the decode speedup a memory-bound GPU gives). Torch-free, for the workbench.
#include <cstdint>

#include "checkpoint/summary.h"

namespace llmdrop {

struct PlanImpact {
  int64_t parameters_removed = 0;
  double parameters_removed_fraction = 0;
  int64_t kv_bytes_saved_per_token = 0;
  double kv_saved_fraction = 0;
  int64_t context = 0;  // tokens in the cache for the estimate
  double step_bytes_full = 0, step_bytes = 0;
  double estimated_decode_speedup = 1;  // step_bytes_full / step_bytes
};

// `summary`: summarize(checkpoint, plan, runtime dtype). The embedding table is not streamed per step (one
// row is gathered) unless it is tied to the output layer.
PlanImpact estimate_impact(const ModelSummary& summary, int64_t context);

}  // namespace llmdrop
