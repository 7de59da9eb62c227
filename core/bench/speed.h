#pragma once
// Decoding speed and memory, LLM-Drop's benchmark_speed.py protocol: random token ids; per round a prefill of
// `context` tokens and `new_tokens` greedy decode steps, each synchronised; prefill tok/s = context × batch /
// time; decode tok/s = batch / median step time; peak device memory from the allocator; out-of-memory is a
// result, not a crash.
#include <cstdint>
#include <functional>
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
  int64_t peak_memory_bytes = 0;  // the fullest device's when the layers are placed over several
  int64_t kv_cache_bytes = 0;     // the cache of this round (context + new tokens, batch)
  // The decode roofline on a GPU: each step reads every weight (Model::decode_weight_bytes) and the cache up
  // to its position (on average context + new tokens / 2) once, at the device's copy bandwidth (a 1 GiB
  // device-to-device copy, bytes read + written per second, measured once per measure_speed); 0 on the CPU.
  int64_t decode_step_bytes = 0;
  double copy_bandwidth = 0, roofline_tokens_per_second = 0;
};

// One result per round; progress per round; cancellable between decode steps.
std::vector<SpeedResult> measure_speed(const Model& model, const SpeedOptions& options,
                                       JobContext& job = JobContext::silent());

// Every round for each drop plan in turn on one loaded model (its drops set before each, left at the last);
// results[c][r] for plan c, round r. Progress names the configuration.
std::vector<std::vector<SpeedResult>> measure_configurations(Model& model, const std::vector<DropPlan>& plans,
                                                             const SpeedOptions& options,
                                                             JobContext& job = JobContext::silent());

// The decode speedup of `plan` over `baseline` on one model, measured so that a user can believe it: the two
// plans alternate (baseline, plan; then plan, baseline; ...) so that a machine that speeds up or slows down
// affects both alike; each measurement prefills `round.context` random tokens untimed and times
// `round.new_tokens` decode steps (tokens/s from the fastest step). The speedup is the geometric mean of the
// pairs' ratios; pairs are added until at least `min_pairs` have run and its 95 % confidence interval is no
// wider than `max_spread` of it, or `max_pairs` have run: then `settled` is false and the machine was too
// noisy to tell. A quiet machine settles in three pairs; a noisy one takes more, or says so. The model is
// left at `plan`.
struct SpeedupMeasurement;

struct SpeedupOptions {
  SpeedRound round{64, 16};
  int min_pairs = 3;
  int max_pairs = 12;
  double max_spread = 0.10;  // the 95 % interval's width / the speedup
  // After each pair that does not end the measurement: the figure so far.
  std::function<void(const SpeedupMeasurement&)> on_pair;
};

struct SpeedupMeasurement {
  // Medians over the pairs of each round's fastest step.
  double baseline_tokens_per_second = 0, plan_tokens_per_second = 0;
  double speedup = 0, speedup_min = 0, speedup_max = 0;  // geometric mean of the ratios, its 95 % interval
  int pairs = 0;
  bool settled = false;
  double spread() const { return speedup > 0 ? (speedup_max - speedup_min) / speedup : 0; }
};

SpeedupMeasurement measure_speedup(Model& model, const DropPlan& baseline, const DropPlan& plan,
                                   const SpeedupOptions& options, JobContext& job = JobContext::silent());

// LLM-Drop's default rounds.
std::vector<SpeedRound> default_speed_rounds();

}  // namespace llmdrop
