// The workbench's measured decode speedup, repeated: the same plan measured N times (measure_speedup, the
// interleaved protocol the impact panel shows). Prints each measurement's speedup, 95 % interval, pairs and
// whether it settled, then the spread of the settled figures: a user who clicks the same plan twice should
// read the same number, or be told the machine is too noisy to tell.
//
//   bench_speedup [MODEL] [--device D] [--dtype T] [--repeats N] [--context N] [--steps N] [--drop-attn LIST]
//                 [--drop-mlp LIST]
//
// Defaults: the demo model on the CPU, 10 repeats, the workbench's round (64-token context, 16 steps), the
// README's plan (attention of layers 4, 6, 8 and 10 dropped).
#include <algorithm>
#include <cstdio>
#include <vector>

#include "bench_args.h"
#include "checkpoint/checkpoint.h"
#include "session/jobs.h"
#include "util/error.h"

using namespace llmdrop;

int main(int argc, char** argv) {
  bench::BenchArgs defaults;
  defaults.integers = {{"repeats", 10}, {"context", 64}, {"steps", 16}};
  defaults.strings = {{"drop-attn", "4,6,8,10"}, {"drop-mlp", ""}};
  const auto args = bench::parse_bench_args("bench_speedup", argc, argv, defaults);
  if (!args) return 2;
  try {
    const Checkpoint checkpoint = Checkpoint::open(args->model);
    const DropPlan baseline = modules_without_weights(checkpoint);
    DropPlan plan = baseline;
    for (const auto& [option, modules] : {std::pair{"drop-attn", &plan.attn}, {"drop-mlp", &plan.mlp}})
      if (const std::string& list = args->strings.at(option); !list.empty())
        for (int64_t i : DropPlan::parse_csv(list, option)) modules->insert(i);
    Session session(checkpoint, {args->device, args->dtype}, baseline);
    SpeedupOptions options;
    options.round = {args->integers.at("context"), args->integers.at("steps")};
    std::printf("%s on %s, plan attn [%s] mlp [%s], %lld-token context, %lld steps per run\n\n",
                args->model.c_str(), args->device.c_str(), format_indices(plan.attn).c_str(),
                format_indices(plan.mlp).c_str(), static_cast<long long>(options.round.context),
                static_cast<long long>(options.round.new_tokens));
    std::printf("| run | speedup | range         | pairs | full tok/s | plan tok/s | shown as          |\n");
    std::printf("|-----|---------|---------------|-------|------------|------------|-------------------|\n");
    std::vector<double> settled;
    for (int64_t r = 0; r < args->integers.at("repeats"); ++r) {
      const SpeedupMeasurement m = measure_speedup(session, baseline, plan, options, JobContext::silent());
      std::printf("| %3lld | %6.2f× | %5.2f – %5.2f | %5d | %10.1f | %10.1f | %-17s |\n",
                  static_cast<long long>(r + 1), m.speedup, m.speedup_min, m.speedup_max, m.pairs,
                  m.baseline_tokens_per_second, m.plan_tokens_per_second,
                  m.settled ? "the speedup" : "too noisy to tell");
      std::fflush(stdout);
      if (m.settled) settled.push_back(m.speedup);
    }
    if (settled.empty()) return std::printf("\nno measurement settled: every one said too noisy\n"), 0;
    std::sort(settled.begin(), settled.end());
    const double median = settled[settled.size() / 2];
    std::printf("\n%zu of %lld settled; their speedups %.2f – %.2f×: spread %.1f %% of the median %.2f×\n",
                settled.size(), static_cast<long long>(args->integers.at("repeats")), settled.front(),
                settled.back(), 100 * (settled.back() - settled.front()) / median, median);
  } catch (const Error& e) {
    std::fprintf(stderr, "bench_speedup: %s\n", e.what());
    return 2;
  }
  return 0;
}
