// Cold-start cost of a model on this machine: load (open + validate + copy weights) and one full forward
// pass.
//   bench_load_forward [MODEL] [--tokens 256] [--repeats 10] [--device cpu] [--dtype float32]
// MODEL defaults to the bundled demo model. Prints a table; exit 2 on bad input.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "checkpoint/default_model.h"
#include "model/device.h"
#include "model/model.h"
#include "util/parse.h"

using namespace llmdrop;
using Clock = std::chrono::steady_clock;

namespace {
double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}
void synchronize(const Model& model) {
  if (model.device().is_cuda())
    model.forward(at::ones({1, 1}, at::kLong)).cpu();  // a tiny step drains the queue
}
}  // namespace

int main(int argc, char** argv) {
  std::string model_path, device = "cpu", dtype = "float32";
  int64_t tokens = 256, repeats = 10;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--tokens")
      tokens = parse_int(next()).value_or(-1);
    else if (arg == "--repeats")
      repeats = parse_int(next()).value_or(-1);
    else if (arg == "--device")
      device = next();
    else if (arg == "--dtype")
      dtype = next();
    else if (arg.rfind("--", 0) != 0)
      model_path = arg;
    else
      return std::fprintf(stderr, "bench_load_forward: unknown option %s\n", arg.c_str()), 2;
  }
  if (tokens < 1 || repeats < 1)
    return std::fprintf(stderr, "bench_load_forward: bad --tokens/--repeats\n"), 2;
  if (model_path.empty()) {
    const auto demo = find_demo_model(executable_dir());
    if (!demo) return std::fprintf(stderr, "bench_load_forward: no MODEL and no demo model found\n"), 2;
    model_path = demo->string();
  }
  try {
    const auto load_start = Clock::now();
    const Checkpoint checkpoint = Checkpoint::open(model_path);
    LoadOptions options;
    options.device = device;
    options.dtype = dtype;
    const auto model = Model::load(checkpoint, options);
    const double load_ms = ms_since(load_start);

    at::Tensor ids = at::randint(3, model->config().vocab_size, {1, tokens}, at::kLong);  // (1, T)
    model->forward(ids);  // warm-up: first-touch allocations, kernel selection
    synchronize(*model);
    std::vector<double> times;
    for (int64_t r = 0; r < repeats; ++r) {
      const auto start = Clock::now();
      model->forward(ids);
      synchronize(*model);
      times.push_back(ms_since(start));
    }
    std::sort(times.begin(), times.end());
    const double median = times[times.size() / 2];
    std::printf(
        "| model | parameters | device | dtype | threads | load ms | forward %lld tok: median ms | min ms | "
        "tok/s | load + forward ms |\n",
        static_cast<long long>(tokens));
    std::printf("|---|---:|---|---|---:|---:|---:|---:|---:|---:|\n");
    std::printf("| %s | %lld | %s | %s | %d | %.1f | %.1f | %.1f | %.0f | %.1f |\n",
                checkpoint.dir.filename().c_str(), static_cast<long long>(model->resident_parameters()),
                device.c_str(), dtype_name(model->dtype()).c_str(), at::get_num_threads(), load_ms, median,
                times.front(), tokens / (median / 1000.0), load_ms + median);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_load_forward: %s\n", e.what());
    return 2;
  }
  return 0;
}
