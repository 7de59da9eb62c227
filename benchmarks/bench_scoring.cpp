// Cost of importance scoring against its floor: plain forward passes over the same calibration tokens.
//   bench_scoring [MODEL] [--samples 256] [--seq-len 2048] [--batch-size 1] [--device cuda] [--dtype
//   bfloat16]
// Random token ids (speed and memory do not depend on the text). Prints a table with time and peak memory
// (device allocator on CUDA, process peak RSS on the CPU); exit 2 on bad input.
#include <ATen/ATen.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "analysis/importance.h"
#include "bench_args.h"
#include "model/device.h"
#include "model/device_memory.h"
#include "model/model.h"
#include "util/clock.h"

using namespace llmdrop;

namespace {

double peak_gib(const Model& model) {
  return peak_memory_bytes(model.device()) / double(1 << 30);
}
}  // namespace

int main(int argc, char** argv) {
  const auto args =
      bench::parse_bench_args("bench_scoring", argc, argv,
                              {"", "cpu", "auto", {{"samples", 256}, {"seq-len", 2048}, {"batch-size", 1}}});
  if (!args) return 2;
  const int64_t samples = args->integers.at("samples"), seq_len = args->integers.at("seq-len"),
                batch = args->integers.at("batch-size");
  const std::string &model_path = args->model, &device = args->device, &dtype = args->dtype;
  if (samples < 1 || seq_len < 2 || batch < 1) return std::fprintf(stderr, "bench_scoring: bad sizes\n"), 2;
  try {
    const auto load_start = Clock::now();
    LoadOptions options;
    options.device = device;
    options.dtype = dtype;
    const auto model = Model::load(Checkpoint::open(model_path), options);
    const double load_s = seconds_since(load_start);
    const double model_gib = peak_gib(*model);
    const at::Tensor blocks = at::randint(3, model->config().vocab_size, {samples, seq_len}, at::kLong);

    reset_peak_memory(model->device());
    const auto forward_start = Clock::now();
    at::Tensor last;
    for (int64_t s = 0; s < samples; s += batch)
      last = model->forward(blocks.narrow(0, s, std::min(batch, samples - s)).to(model->device()));
    last.sum().item<double>();  // waits for the queued work
    const double forward_s = seconds_since(forward_start), forward_gib = peak_gib(*model);

    reset_peak_memory(model->device());
    const auto score_start = Clock::now();
    ScoreOptions score_options;
    score_options.batch_size = batch;
    const ImportanceScores scores = score_layers(*model, blocks, score_options);
    const double score_s = seconds_since(score_start), score_gib = peak_gib(*model);

    const double tokens = double(samples * seq_len);
    std::printf(
        "model %s, %lld parameters, %s %s, %lld blocks x %lld tokens, batch %lld, load %.1f s, "
        "weights %.2f GiB\n\n",
        model_path.c_str(), static_cast<long long>(model->resident_parameters()), device.c_str(),
        dtype_name(model->dtype()).c_str(), static_cast<long long>(samples), static_cast<long long>(seq_len),
        static_cast<long long>(batch), load_s, model_gib);
    std::printf(
        "| pass | seconds | tokens/s | peak memory GiB | vs plain forward |\n|---|---:|---:|---:|---:|\n");
    std::printf("| plain forward (floor) | %.2f | %.0f | %.2f | 1.00x |\n", forward_s, tokens / forward_s,
                forward_gib);
    std::printf("| score: block+attn+mlp cosine & angular, NLL | %.2f | %.0f | %.2f | %.2fx |\n", score_s,
                tokens / score_s, score_gib, score_s / forward_s);
    std::printf("\nmean attention similarity of layer 0: %.6f\n", scores.attn.cosine.front());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_scoring: %s\n", e.what());
    return 2;
  }
  return 0;
}
