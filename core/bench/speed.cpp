#include "bench/speed.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "model/decode_graph.h"
#include "model/device_memory.h"
#include "model/model.h"
#include "util/clock.h"
#include "util/error.h"

namespace llmdrop {

namespace {

// Student's t at 97.5 % for `df` degrees of freedom (a two-sided 95 % interval).
double t_975(int df) {
  static constexpr double kTable[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                      2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086};
  return df <= 20 ? kTable[df - 1] : 1.96 + 2.4 / df;  // beyond the table: within 0.3 % of the exact value
}

double percentile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  // Linear interpolation between closest ranks (numpy's default).
  const double pos = q * double(values.size() - 1);
  const auto lo = static_cast<size_t>(pos);
  const size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (values[hi] - values[lo]) * (pos - double(lo));
}

// Prefill then `steps` greedy decode steps; returns the prefill time (the median of `timed_prefills`; 0
// without) and each step's time (synchronised).
std::pair<double, std::vector<double>> run_round(const Model& model, const at::Tensor& prompt, int64_t steps,
                                                 int timed_prefills, bool cuda_graphs, JobContext& job) {
  KVCache cache = model.new_cache(prompt.size(0), prompt.size(1) + steps);
  // An untimed prefill of the same length first: a shape's first run pays for GEMM heuristics and kernel
  // loading, which is not the prefill speed. Then the median of 3, one prefill varying by ~10 % on a GPU
  // (tools/bench_speed_reference.py does the same).
  at::Tensor next = model.forward(prompt, &cache, nullptr, /*last_only=*/true).argmax(-1);  // (B, 1)
  std::vector<double> prefills;
  for (int i = 0; i < timed_prefills; ++i) {
    cache.reset();
    model.synchronize();
    const auto start = Clock::now();
    next = model.forward(prompt, &cache, nullptr, /*last_only=*/true).argmax(-1);
    model.synchronize();
    prefills.push_back(seconds_since(start));
  }
  const double prefill = prefills.empty() ? 0 : percentile(prefills, 0.5);
  std::vector<double> step_seconds;
  DecodeGraph decoder(model, cache, cuda_graphs);
  for (int64_t s = 0; s < steps; ++s) {
    job.throw_if_cancelled();
    const auto start = Clock::now();
    decoder.step(next);
    next = decoder.greedy_token();  // computed by the step itself: the next step copies nothing
    model.synchronize();
    step_seconds.push_back(seconds_since(start));
  }
  return {prefill, step_seconds};
}

// Bytes read + written per second by a 1 GiB copy on `device` (tools/bench_speed_reference.py measures it
// the same way); 0 on the CPU.
double copy_bandwidth(c10::Device device) {
  if (!device.is_cuda()) return 0;
  const at::Tensor from = at::empty({int64_t(1) << 30}, at::TensorOptions().dtype(at::kByte).device(device));
  at::Tensor to = at::empty_like(from);
  for (int i = 0; i < 3; ++i) to.copy_(from);
  synchronize(device);
  const auto start = Clock::now();
  for (int i = 0; i < 10; ++i) to.copy_(from);
  synchronize(device);
  return 2.0 * 10 * double(from.numel()) / seconds_since(start);
}

}  // namespace

std::vector<SpeedRound> default_speed_rounds() {
  return {{32, 32}, {64, 64}, {128, 128}, {256, 256}, {512, 512}};
}

std::vector<SpeedResult> measure_speed(const Model& model, const SpeedOptions& options, JobContext& job) {
  if (options.batch_size < 1) throw_bad_input("batch size must be at least 1");
  if (options.rounds.empty()) throw_bad_input("no rounds to measure");
  for (const auto& r : options.rounds)
    if (r.context < 1 || r.new_tokens < 1)
      throw_bad_input("each round needs a context and new tokens of at least 1");
  c10::InferenceMode inference;
  const c10::Device device = model.device();
  // Placed over several devices: each one's memory, and the peak of the fullest.
  auto release_memory = [&] {
    for (const c10::Device d : model.devices()) release_cached_memory(d);
  };
  auto fullest_peak = [&] {
    int64_t most = 0;
    for (const c10::Device d : model.devices()) most = std::max(most, peak_memory_bytes(d));
    return most;
  };
  const int64_t vocab = model.config().vocab_size, batch = options.batch_size;
  at::manual_seed(options.seed);
  auto random_ids = [&](int64_t length) {
    return at::randint(vocab, {batch, length}, at::TensorOptions().dtype(at::kLong)).to(device);
  };
  {  // warm-up: kernels, allocator, libraries
    JobContext quiet(job, {});
    try {
      run_round(model, random_ids(std::min<int64_t>(options.rounds.front().context, 32)),
                options.warmup_steps, 3, options.cuda_graphs, quiet);
    } catch (const Error&) {
      throw;
    } catch (const std::exception& e) {
      if (!is_out_of_memory(e)) throw;
      release_memory();
    }
  }
  const double bandwidth = copy_bandwidth(device);
  release_memory();
  std::vector<SpeedResult> results;
  for (size_t i = 0; i < options.rounds.size(); ++i) {
    const SpeedRound& round = options.rounds[i];
    job.report(
        static_cast<int64_t>(i), static_cast<int64_t>(options.rounds.size()),
        "context " + std::to_string(round.context) + ", " + std::to_string(round.new_tokens) + " new tokens");
    SpeedResult r;
    r.batch = batch;
    r.context = round.context;
    r.new_tokens = round.new_tokens;
    r.kv_cache_bytes = model.kv_bytes_per_token() * batch * (round.context + round.new_tokens);
    r.decode_step_bytes = model.decode_weight_bytes() +
                          model.kv_bytes_per_token() * batch * (round.context + round.new_tokens / 2);
    r.copy_bandwidth = bandwidth;
    r.roofline_tokens_per_second = double(batch) * bandwidth / double(r.decode_step_bytes);
    release_memory();
    for (const c10::Device d : model.devices()) reset_peak_memory(d);
    try {
      const auto [prefill, steps] =
          run_round(model, random_ids(round.context), round.new_tokens, 3, options.cuda_graphs, job);
      r.prefill_seconds = prefill;
      r.prefill_tokens_per_second = double(round.context * batch) / prefill;
      const double median = percentile(steps, 0.5);
      r.decode_tokens_per_second = double(batch) / median;
      r.decode_p50_ms = median * 1e3;
      r.decode_p90_ms = percentile(steps, 0.9) * 1e3;
      r.peak_memory_bytes = fullest_peak();
    } catch (const Error&) {
      throw;  // cancelled or bad input
    } catch (const std::exception& e) {
      if (!is_out_of_memory(e)) throw;
      r.out_of_memory = true;
      release_memory();
    }
    results.push_back(r);
  }
  job.report(static_cast<int64_t>(options.rounds.size()), static_cast<int64_t>(options.rounds.size()),
             "done");
  return results;
}

SpeedupMeasurement measure_speedup(Model& model, const DropPlan& baseline, const DropPlan& plan,
                                   const SpeedupOptions& options, JobContext& job) {
  if (options.round.context < 1 || options.round.new_tokens < 1 || options.min_pairs < 1 ||
      options.max_pairs < options.min_pairs)
    throw_bad_input("a speedup measurement needs a context, new tokens and at least one pair");
  c10::InferenceMode inference;
  at::manual_seed(0);
  const at::Tensor prompt =  // (1, context)
      at::randint(model.config().vocab_size, {1, options.round.context}, at::TensorOptions().dtype(at::kLong))
          .to(model.device());
  // From a round's fastest step: what else runs on the machine only ever slows a step down, and on a shared
  // 2-core machine the median step of ten measurements of the same plan spread over 15-21 % against 7-11 %.
  auto tokens_per_second = [&](const DropPlan& p) {
    if (model.drops() != p) model.set_drops(p, job);
    const auto steps = run_round(model, prompt, options.round.new_tokens, 0, true, job).second;
    return 1.0 / *std::min_element(steps.begin(), steps.end());
  };
  SpeedupMeasurement m;
  std::vector<double> baseline_speeds, plan_speeds, log_ratios;
  while (m.pairs < options.max_pairs && !m.settled) {
    job.report(m.pairs, options.max_pairs, "pair " + std::to_string(m.pairs + 1));
    double base = 0, with_plan = 0;
    if (m.pairs % 2 == 0) {
      base = tokens_per_second(baseline);
      with_plan = tokens_per_second(plan);
    } else {
      with_plan = tokens_per_second(plan);
      base = tokens_per_second(baseline);
    }
    baseline_speeds.push_back(base);
    plan_speeds.push_back(with_plan);
    log_ratios.push_back(std::log(with_plan / base));
    ++m.pairs;
    // The geometric mean of the ratios and its 95 % confidence interval (Student's t over the pairs).
    const double n = m.pairs, mean = std::accumulate(log_ratios.begin(), log_ratios.end(), 0.0) / n;
    double squares = 0;
    for (double l : log_ratios) squares += (l - mean) * (l - mean);
    const double half_width = m.pairs > 1 ? t_975(m.pairs - 1) * std::sqrt(squares / (n - 1) / n) : 0;
    m.speedup = std::exp(mean);
    m.speedup_min = std::exp(mean - half_width);
    m.speedup_max = std::exp(mean + half_width);
    m.settled = m.pairs >= options.min_pairs && m.spread() <= options.max_spread;
    m.baseline_tokens_per_second = percentile(baseline_speeds, 0.5);
    m.plan_tokens_per_second = percentile(plan_speeds, 0.5);
    if (options.on_pair && !m.settled && m.pairs < options.max_pairs) options.on_pair(m);
  }
  if (model.drops() != plan) model.set_drops(plan, job);
  job.report(m.pairs, m.pairs, m.settled ? "settled" : "too noisy");
  return m;
}

std::vector<std::vector<SpeedResult>> measure_configurations(Model& model, const std::vector<DropPlan>& plans,
                                                             const SpeedOptions& options, JobContext& job) {
  std::vector<std::vector<SpeedResult>> results;
  const auto n = static_cast<int64_t>(plans.size());
  for (int64_t c = 0; c < n; ++c) {
    job.throw_if_cancelled();
    const DropPlan& plan = plans[static_cast<size_t>(c)];
    const std::string name =
        plan.empty() ? "full"
                     : "attn [" + format_indices(plan.attn) + "] mlp [" + format_indices(plan.mlp) + "]";
    if (model.drops() != plan) model.set_drops(plan, job);
    JobContext rounds(job, [&](const Progress& p) {
      job.report(c * p.total + p.done, n * p.total, name + ": " + p.message);
    });
    results.push_back(measure_speed(model, options, rounds));
  }
  return results;
}

}  // namespace llmdrop
