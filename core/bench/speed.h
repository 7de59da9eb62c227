#pragma once
// Decoding speed and memory, LLM-Drop's benchmark_speed.py protocol: random token ids; per round a prefill of
// `context` tokens and `new_tokens` greedy decode steps, each synchronised; prefill tok/s = context × batch /
// time; decode tok/s = batch / median step time; peak device memory from the allocator; out-of-memory is a
// result, not a crash.
#include <cstdint>
#include <string>
#include <vector>

#include "checkpoint/drop_plan.h"
#include "jobs/job.h"

namespace llmdrop {

class Model;

struct SpeedRound {
  int64_t context = 0;
  int64_t new_tokens = 0;
};

struct SpeedOptions {
  std::vector<SpeedRound> rounds;  // LLM-Drop's: 32/64/128/256/512 context with as many new tokens
  int64_t batch_size = 1;
  int64_t warmup_steps = 4;  // untimed decode steps after an untimed prefill, once, before the rounds
  uint64_t seed = 0;
  bool cuda_graphs = true;  // decode steps as CUDA graph replays (GPU only)
};

struct SpeedResult {
  int64_t batch = 0, context = 0, new_tokens = 0;
  bool out_of_memory = false;
  double prefill_seconds = 0, prefill_tokens_per_second = 0;
  double decode_tokens_per_second = 0, decode_p50_ms = 0, decode_p90_ms = 0;
  int64_t peak_memory_bytes = 0;
  int64_t kv_cache_bytes = 0;  // the cache of this round (context + new tokens, batch)
};

// One result per round; progress per round; cancellable between decode steps.
std::vector<SpeedResult> measure_speed(const Model& model, const SpeedOptions& options,
                                       JobContext& job = JobContext::silent());

// Every round for each drop plan in turn on one loaded model (its drops set before each, left at the last);
// results[c][r] for plan c, round r. Progress names the configuration.
std::vector<std::vector<SpeedResult>> measure_configurations(Model& model, const std::vector<DropPlan>& plans,
                                                             const SpeedOptions& options,
                                                             JobContext& job = JobContext::silent());

// LLM-Drop's default rounds.
std::vector<SpeedRound> default_speed_rounds();

}  // namespace llmdrop
