#include <iostream>
#include <sstream>

#include "bench/speed.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "cli/ranks.h"
#include "model/device.h"
#include "model/shapes.h"
#include "session/jobs.h"
#include "util/atomic_file.h"
#include "util/parse.h"

namespace llmdrop::cli {

namespace {

// "attn=24,25" / "mlp=3" / "block=4,5" → the drops of one --compare configuration.
DropPlan parse_compare(const std::string& spec, int64_t num_layers) {
  const size_t eq = spec.find('=');
  const std::string kind = spec.substr(0, eq), list = eq == std::string::npos ? "" : spec.substr(eq + 1);
  if (eq == std::string::npos || (kind != "attn" && kind != "mlp" && kind != "block"))
    throw UsageError("--compare expects attn=LIST, mlp=LIST or block=LIST, got '" + spec + "'");
  DropPlan plan;
  const auto layers = DropPlan::parse_csv(list, "--compare " + kind);
  if (kind != "mlp") plan.attn = layers;
  if (kind != "attn") plan.mlp = layers;
  plan.validate(num_layers);
  return plan;
}

std::vector<SpeedRound> parse_rounds(const ArgParser& p) {
  // Each item is CONTEXT or CONTEXT:NEW_TOKENS; new tokens default to --new-tokens, else to the context.
  std::vector<SpeedRound> rounds;
  std::stringstream items(p.value("contexts"));
  for (std::string item; std::getline(items, item, ',');) {
    const size_t colon = item.find(':');
    const auto context = parse_int(item.substr(0, colon));
    const auto new_tokens =
        colon == std::string::npos
            ? std::optional<int64_t>(p.has("new-tokens") ? p.integer("new-tokens", 1, kMaxLength)
                                                         : context.value_or(0))
            : parse_int(item.substr(colon + 1));
    if (!context || !new_tokens || *context < 1 || *new_tokens < 1 || *context > kMaxLength ||
        *new_tokens > kMaxLength)
      throw UsageError(
          "--contexts expects a list such as 32,64,128 or 512,2048:128 (context:new tokens), got '" +
          p.value("contexts") + "'");
    rounds.push_back({*context, *new_tokens});
  }
  if (rounds.empty()) throw UsageError("--contexts expects a list such as 32,64,128");
  return rounds;
}

// What bench measures: random weights of --shape, or MODEL, with the drops given (opened once per rank);
// --csv is checked before the load.
struct BenchModel {
  std::function<std::unique_ptr<Session>(const SessionOptions&, JobContext&)> open;
  RunOptions run;
  int64_t num_layers = 0;
  std::string source, csv_file;
};

BenchModel open_bench_model(const ArgParser& p) {
  if (p.flag("random-weights")) {
    if (p.positional("MODEL")) throw UsageError("give either MODEL or --random-weights --shape NAME");
    const ModelConfig config = shape_config(p.value("shape"));
    const RunOptions run = run_options(p, config);
    return {[config, drops = run.drops](const SessionOptions& options, JobContext& job) {
              return Session::random(config, options, drops, job);
            },
            run, config.num_layers, "random " + p.value("shape"),
            p.has("csv") ? output_file(p, "csv", nullptr) : ""};
  }
  if (p.has("shape")) throw UsageError("--shape needs --random-weights");
  const Checkpoint ckpt = open_checkpoint(p);
  const RunOptions run = run_options(p, ckpt.config);
  return {[ckpt, drops = run.drops](const SessionOptions& options, JobContext& job) {
            return std::make_unique<Session>(ckpt, options, drops, job);
          },
          run, ckpt.config.num_layers, ckpt.dir.string(), p.has("csv") ? output_file(p, "csv", &ckpt) : ""};
}

// One row per configuration and round, with speedups and KV-cache size against the first configuration.
nlohmann::json speed_rows(const std::vector<std::pair<std::string, DropPlan>>& configs,
                          const std::vector<std::vector<SpeedResult>>& measured) {
  const std::vector<SpeedResult>& baseline = measured.front();
  nlohmann::json rows = nlohmann::json::array();
  for (size_t c = 0; c < configs.size(); ++c) {
    for (size_t i = 0; i < measured[c].size(); ++i) {
      const SpeedResult& r = measured[c][i];
      const bool comparable = !r.out_of_memory && !baseline[i].out_of_memory;
      nlohmann::json row = {
          {"config", configs[c].first},
          {"batch", r.batch},
          {"context", r.context},
          {"new_tokens", r.new_tokens},
          {"out_of_memory", r.out_of_memory},
          {"prefill_tokens_per_second", r.prefill_tokens_per_second},
          {"decode_tokens_per_second", r.decode_tokens_per_second},
          {"decode_p50_ms", r.decode_p50_ms},
          {"decode_p90_ms", r.decode_p90_ms},
          {"peak_memory_bytes", r.peak_memory_bytes},
          {"kv_cache_bytes", r.kv_cache_bytes},
          {"decode_step_bytes", r.decode_step_bytes},
          {"copy_bandwidth_bytes_per_second", r.copy_bandwidth},
          {"roofline_decode_tokens_per_second", r.roofline_tokens_per_second},
          {"decode_speedup",
           comparable ? nlohmann::json(r.decode_tokens_per_second / baseline[i].decode_tokens_per_second)
                      : nlohmann::json()},
          {"prefill_speedup",
           comparable ? nlohmann::json(r.prefill_tokens_per_second / baseline[i].prefill_tokens_per_second)
                      : nlohmann::json()},
          {"kv_cache_ratio", double(r.kv_cache_bytes) / double(baseline[i].kv_cache_bytes)}};
      row.update(drop_lists_json(configs[c].second));
      rows.push_back(row);
    }
  }
  return rows;
}

// benchmark_speed.py's columns first, then ours.
void write_csv(const std::string& file, const nlohmann::json& rows) {
  std::ostringstream csv;
  csv << "Batch Size,Prefill Length,Decode Length,Prefill tokens/s,Decode tokens/s,Memory (VRAM),"
         "Config,Decode p50 ms,Decode p90 ms,KV cache bytes,Decode speedup\n";
  for (const auto& r : rows) {
    const bool oom = r["out_of_memory"].get<bool>();
    csv << r["batch"] << "," << r["context"] << "," << r["new_tokens"] << ","
        << (oom ? "OOM" : format_number(r["prefill_tokens_per_second"].get<double>(), 2)) << ","
        << (oom ? "OOM" : format_number(r["decode_tokens_per_second"].get<double>(), 2)) << ","
        << (oom ? "OOM" : format_number(r["peak_memory_bytes"].get<double>() / double(1 << 30), 3) + " GB")
        << ",\"" << r["config"].get<std::string>() << "\","
        << format_number(r["decode_p50_ms"].get<double>(), 3) << ","
        << format_number(r["decode_p90_ms"].get<double>(), 3) << "," << r["kv_cache_bytes"] << ","
        << (r["decode_speedup"].is_null() ? "" : format_number(r["decode_speedup"].get<double>(), 3)) << "\n";
  }
  write_file_atomically(file, csv.str());
}

void print_table(const nlohmann::json& rows) {
  std::cout << "| config | batch | context | new | prefill tok/s | decode tok/s | p50 ms | p90 ms | peak GiB "
               "| KV MiB | decode speedup | roofline tok/s | of roofline |\n"
               "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : rows) {
    std::cout << "| " << r["config"].get<std::string>() << " | " << r["batch"] << " | " << r["context"]
              << " | " << r["new_tokens"] << " | ";
    if (r["out_of_memory"].get<bool>()) {
      std::cout << "OOM | OOM | | | | "
                << format_number(r["kv_cache_bytes"].get<double>() / double(1 << 20), 1) << " | | | |\n";
      continue;
    }
    std::cout << format_number(r["prefill_tokens_per_second"].get<double>(), 1) << " | "
              << format_number(r["decode_tokens_per_second"].get<double>(), 1) << " | "
              << format_number(r["decode_p50_ms"].get<double>(), 2) << " | "
              << format_number(r["decode_p90_ms"].get<double>(), 2) << " | "
              << format_number(r["peak_memory_bytes"].get<double>() / double(1 << 30), 2) << " | "
              << format_number(r["kv_cache_bytes"].get<double>() / double(1 << 20), 1) << " | "
              << (r["decode_speedup"].is_null() ? ""
                                                : format_number(r["decode_speedup"].get<double>(), 2) + "x")
              << " | ";
    // The roofline on a GPU only (the device copy bandwidth; tools/bench_speed_reference.py's definition).
    const double roofline = r["roofline_decode_tokens_per_second"].get<double>();
    if (roofline > 0)
      std::cout << format_number(roofline, 1) << " | "
                << format_number(100 * r["decode_tokens_per_second"].get<double>() / roofline, 0) << " % |\n";
    else
      std::cout << " | |\n";
  }
}

void run_bench(const ArgParser& p) {
  SpeedOptions options;
  options.rounds = parse_rounds(p);
  options.batch_size = p.integer("batch-size", 1, kMaxBatch);
  options.cuda_graphs = !p.flag("no-cuda-graphs");
  const BenchModel bench = open_bench_model(p);
  const Ranks ranks = open_ranks(p, bench.run);
  if (ranks.any() && ranks.parallelism != Parallelism::Tensor)
    throw UsageError("bench measures one model: with several devices give --parallel tensor");
  // The configurations: the model as given, then each --compare.
  std::vector<std::pair<std::string, DropPlan>> configs = {{"full", bench.run.drops}};
  if (!bench.run.drops.empty()) configs[0].first = "given";
  for (const auto& spec : p.values("compare"))
    configs.emplace_back(spec, parse_compare(spec, bench.num_layers));
  std::vector<DropPlan> plans;
  for (const auto& config : configs) plans.push_back(config.second);
  // Every rank decodes the same tokens (its share of every layer); the lead's times are reported.
  const nlohmann::json rows = speed_rows(
      configs, on_ranks<std::vector<std::vector<SpeedResult>>>(
                   ranks, "bench", [&](const std::shared_ptr<Communicator>& rank, JobContext& job) {
                     const auto session = bench.open(ranks.session_options(bench.run, rank), job);
                     return measure_speed(*session, plans, options, job);
                   }));
  if (!ranks.lead()) return;
  if (!bench.csv_file.empty()) write_csv(bench.csv_file, rows);
  const std::string device = ranks.describe(bench.run), dtype = dtype_name(bench.run.dtype);
  if (p.flag("json"))
    return print_json({{"model", bench.source}, {"device", device}, {"dtype", dtype}, {"rounds", rows}});
  std::cout << "model " << bench.source << " on " << device << ", " << dtype;
  if (const double bandwidth = rows.front()["copy_bandwidth_bytes_per_second"].get<double>(); bandwidth > 0)
    std::cout << "; device copy bandwidth " << format_number(bandwidth / 1e12, 2) << " TB/s";
  std::cout << "\n";
  print_table(rows);
}

}  // namespace

Command bench_command() {
  return {"bench", "Prefill and decode speed, latency and memory (LLM-Drop's benchmark_speed.py protocol).",
          SharedOptions::Model,
          [](ArgParser& p) {
            add_random_weights_options(p, "for speed and memory");
            p.add_option("contexts", "LIST",
                         "prefill lengths, one round each; CONTEXT:N sets that round's new tokens",
                         "32,64,128,256,512");
            p.add_option("new-tokens", "N", "decode steps per round (default: as many as the context)");
            p.add_option("batch-size", "N", "sequences decoded together", "1");
            p.add_option(
                "compare", "KIND=LIST",
                "also measure with these drops (attn=24,25 / mlp=3 / block=4,5; repeatable) and print "
                "speedups");
            p.add_option("csv", "FILE", "write benchmark_speed.py's columns (and ours) here");
            add_no_cuda_graphs_flag(p);
            add_devices_options(p);
          },
          run_bench};
}

}  // namespace llmdrop::cli
