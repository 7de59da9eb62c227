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

#include "bench_args.h"
#include "model/device.h"
#include "model/model.h"

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
  const auto args = bench::parse_bench_args("bench_load_forward", argc, argv,
                                            {"", "cpu", "float32", {{"tokens", 256}, {"repeats", 10}}});
  if (!args) return 2;
  const int64_t tokens = args->integers.at("tokens"), repeats = args->integers.at("repeats");
  const std::string &model_path = args->model, &device = args->device, &dtype = args->dtype;
  if (tokens < 1 || repeats < 1)
    return std::fprintf(stderr, "bench_load_forward: bad --tokens/--repeats\n"), 2;
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
