// The CPU runs a user waits for, with the libraries' thread and heap defaults (the reference) and with
// core/model/cpu_compute's tuning, each in a fresh process (this program run again):
// held-out perplexity of the demo model and GPTQ of it. Prints wall, user and system seconds, page faults,
// system time as a share of user time, and the speedup.
//
//   bench_cpu [MODEL] [--text FILE] [--calibration FILE] [--samples N] [--seq-len N] [--only tuned]
//
// MODEL: the demo model; --text: resources/text/demo_heldout.txt; --calibration: ../shared's c4_demo.json
// (GPTQ is skipped without it); GPTQ on --samples blocks of --seq-len tokens (128 × 512).
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "bench_args.h"
#include "checkpoint/checkpoint.h"
#include "checkpoint/tokenizer.h"
#include "eval/perplexity.h"
#include "model/cpu_compute.h"
#include "quant/quantize_checkpoint.h"
#include "session/session.h"
#include "util/input.h"

namespace fs = std::filesystem;
using namespace llmdrop;

namespace {

struct Usage {
  double wall = 0, user = 0, sys = 0;
  long faults = 0;  // minor and major page faults
  bool ok = false;
};

double seconds(const timeval& t) {
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
}

// Runs this program again as `--child POLICY --workload INDEX` (a fresh process: no heap or thread pool
// left from another measurement); the child's resource usage, measured by the kernel.
Usage run_in_child(int argc, char** argv, const std::string& policy, size_t workload) {
  std::vector<std::string> args(argv, argv + argc);
  args.insert(args.end(), {"--child", policy, "--workload", std::to_string(workload)});
  std::vector<char*> child_argv;
  for (auto& a : args) child_argv.push_back(a.data());
  child_argv.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) return {};
  if (pid == 0) {
    execv("/proc/self/exe", child_argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  Usage u;
  u.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  u.user = seconds(usage.ru_utime);
  u.sys = seconds(usage.ru_stime);
  u.faults = usage.ru_minflt + usage.ru_majflt;
  u.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return u;
}

void print_row(const std::string& workload, const std::string& setup, const Usage& u,
               const Usage* reference) {
  if (!u.ok) return (void)std::printf("| %-26s | %-10s | failed |\n", workload.c_str(), setup.c_str());
  char speedup[32] = "";
  if (reference && reference->ok) std::snprintf(speedup, sizeof speedup, "%.2f×", reference->wall / u.wall);
  std::printf("| %-26s | %-10s | %7.1f | %7.1f | %7.1f | %9ld | %6.0f %% | %7s |\n", workload.c_str(),
              setup.c_str(), u.wall, u.user, u.sys, u.faults, u.user > 0 ? 100 * u.sys / u.user : 0.0,
              speedup);
}

}  // namespace

int main(int argc, char** argv) {
  bench::BenchArgs defaults;
  defaults.integers = {{"samples", 128}, {"seq-len", 512}, {"workload", -1}};
  defaults.strings = {{"text", ""}, {"calibration", ""}, {"only", ""}, {"child", ""}};
  const auto args = bench::parse_bench_args("bench_cpu", argc, argv, defaults);
  if (!args) return 2;
  const fs::path source = fs::path(LLMDROP_SOURCE_DIR);
  const fs::path text = args->strings.at("text").empty() ? source / "resources/text/demo_heldout.txt"
                                                         : fs::path(args->strings.at("text"));
  fs::path calibration = args->strings.at("calibration");
  if (calibration.empty() && fs::exists(source / "../shared/data/calibration/c4_demo.json"))
    calibration = source / "../shared/data/calibration/c4_demo.json";

  struct Workload {
    std::string name;
    std::function<void()> run;
  };
  std::vector<Workload> workloads;
  workloads.push_back({"perplexity (held-out text)", [&] {
                         const Checkpoint checkpoint = Checkpoint::open(args->model);
                         const Tokenizer tokenizer = Tokenizer::open(checkpoint.dir, checkpoint.config);
                         const auto tokens = tokenizer.encode(read_file(text));
                         Session session(checkpoint, {}, {});
                         const auto r = session.run(JobContext::silent(), [&](const Model& model) {
                           return perplexity(model, tokens, tokenizer.bos_id(), 256, 0);
                         });
                         std::fprintf(stderr, "  perplexity %.3f over %lld tokens\n", r.ppl,
                                      static_cast<long long>(r.tokens));
                       }});
  if (!calibration.empty()) {
    const std::string name = "GPTQ " + std::to_string(args->integers.at("samples")) + " × " +
                             std::to_string(args->integers.at("seq-len"));
    workloads.push_back({name, [&] {
                           QuantizeRequest request;
                           request.data = calibration;
                           request.samples = args->integers.at("samples");
                           request.seq_len = args->integers.at("seq-len");
                           const fs::path out =
                               fs::temp_directory_path() / ("bench-cpu-gptq-" + std::to_string(getpid()));
                           const auto r =
                               quantize_checkpoint(Checkpoint::open(args->model), request, out, {});
                           fs::remove_all(out);
                           std::fprintf(stderr, "  GPTQ of %lld linears on %lld tokens\n",
                                        static_cast<long long>(r.linears), static_cast<long long>(r.tokens));
                         }});
  }

  if (const std::string& policy = args->strings.at("child"); !policy.empty()) {  // one measurement
    const int64_t index = args->integers.at("workload");
    if (index < 0 || index >= static_cast<int64_t>(workloads.size())) return 2;
    try {
      configure_cpu_compute(policy == "tuned" ? CpuPolicy::tuned : CpuPolicy::library_defaults);
      std::fprintf(stderr, "  %s: %s\n", policy.c_str(), describe(configure_cpu_compute()).c_str());
      workloads[static_cast<size_t>(index)].run();
      return 0;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bench_cpu: %s\n", e.what());
      return 1;
    }
  }

  if (calibration.empty())
    std::fprintf(stderr, "bench_cpu: no calibration text (--calibration FILE): GPTQ skipped\n");
  const bool reference = args->strings.at("only") != "tuned";
  std::printf("model %s, %ld CPUs\n\n", args->model.c_str(), sysconf(_SC_NPROCESSORS_ONLN));
  std::printf("| %-26s | %-10s | wall s  | user s  | sys s   | faults    | sys/user | speedup |\n",
              "workload", "setup");
  std::printf("|%s|%s|---------|---------|---------|-----------|----------|---------|\n",
              std::string(28, '-').c_str(), std::string(12, '-').c_str());
  for (size_t w = 0; w < workloads.size(); ++w) {
    std::fprintf(stderr, "%s:\n", workloads[w].name.c_str());
    Usage defaults_usage;
    if (reference) {
      defaults_usage = run_in_child(argc, argv, "defaults", w);
      print_row(workloads[w].name, "defaults", defaults_usage, nullptr);
    }
    const Usage tuned = run_in_child(argc, argv, "tuned", w);
    print_row(workloads[w].name, "tuned", tuned, reference ? &defaults_usage : nullptr);
    std::fflush(stdout);
  }
  return 0;
}
