#include "cli/scoring.h"

#include <chrono>
#include <filesystem>
#include <iostream>

#include "cli/output.h"
#include "cli/progress.h"
#include "model/memory_plan.h"
#include "model/model.h"
#include "session/jobs.h"
#include "util/atomic_file.h"
#include "util/sha256.h"

namespace llmdrop::cli {

void add_calibration_options(ArgParser& p) {
  add_calibration_data_option(p);
  p.add_option("samples", "N", "calibration blocks", "256");
  p.add_option("seq-len", "N", "tokens per block", "2048");
  p.add_option("batch-size", "N", "blocks per forward pass (does not change the numbers)", "1");
  p.add_option(
      "metric", "METRIC",
      "cosine, angular, or a measured effect of leaving each module out: nll-delta (NLL increase), kl "
      "or js (FinerCut: KL / Jensen-Shannon divergence of the next-token distribution); angular-last (Gromov "
      "et al.: the angle between the last token's states around each span of blocks); task:NAME[,NAME…] "
      "(the NLL increase on each task's gold answers, e.g. task:hellaswag,arc_easy)",
      "cosine");
  p.add_option("limit", "N", "task:NAME: the first N documents of each task (each MMLU subject); 0 = all",
               "0");
  add_task_data_dir_option(p);
  p.add_flag("no-norm",
             "LLM-Drop's layer_drop_norm=False: compare LN(h) with F(LN(h)) instead of h with h+F");
  p.add_flag("no-cache", "recompute even when scores for the same request are cached");
  add_stream_layers_flag(p);
  add_devices_options(p);
}

ImportanceScores score_on_ranks(
    const Ranks& ranks, const RunOptions& run, const ScoreJob& request,
    const std::function<std::unique_ptr<Session>(const SessionOptions&, JobContext&)>& open) {
  auto work = [&](const std::shared_ptr<Communicator>& rank, JobContext& job) {
    const auto session = open(ranks.session_options(run, rank), job);
    ScoreJob mine = request;
    mine.options.data_parallel = ranks.data_parallel(rank);
    ImportanceScores scores = score(*session, mine, job);
    if (session->streamed() &&
        ranks.leads(rank)) {  // how well the layers' loading hid behind the computation
      const auto t = session->run(job, [](const Model& model) { return model.stream_times(); });
      std::cerr << "[score] streamed layers: " << format_number(t.loading, 3) << " s loading them, "
                << format_number(t.loading - t.waited, 3) << " s of it hidden behind the computation ("
                << format_number(100 * (t.loading > 0 ? 1 - t.waited / t.loading : 1), 1) << " %)"
                << (t.hidden_on_host > 0 ? "; the hidden states (" + gigabytes(t.hidden_on_host) +
                                               ") waited in host memory between layers"
                                         : "")
                << "\n";
    }
    return scores;
  };
  return on_ranks<ImportanceScores>(ranks, "score", work);
}

ScoredModel score_model(const ArgParser& p, const Checkpoint& ckpt, const RunOptions& run, bool consecutive,
                        const std::string& out_file) {
  const std::string data = p.value("data");
  const SessionOptions runs_on = run.session_options();
  const Ranks ranks = open_ranks(p, run);
  ScoredModel result;
  ScoreRequest& r = result.request;
  r.model_dir = fs_absolute(ckpt.dir);
  r.model_fingerprint = weights_fingerprint(ckpt);
  r.data_path = fs_absolute(data);
  r.data_sha256 = sha256_file(data);
  r.samples = p.integer("samples", 1, kMaxCount);
  r.seq_len = p.integer("seq-len", 1, kMaxLength);
  r.device = ranks.describe(run);
  r.dtype = runs_on.dtype;
  r.layer_drop_norm = !p.flag("no-norm");
  r.consecutive = consecutive;
  const Metric metric = parse_metric(p.value("metric"));
  r.nll_delta = metric == Metric::NllDelta;
  r.divergence = metric == Metric::Kl || metric == Metric::Js;
  r.plan = run.drops;
  const std::vector<std::string> tasks = metric_tasks(p.value("metric"));
  if (metric == Metric::Task && tasks.empty()) throw UsageError("name the tasks: --metric task:NAME[,NAME…]");
  DataSources task_data;
  task_data.data_dirs = task_data_dirs(p);
  for (const std::string& task : tasks) r.tasks[task] = task_inputs_json(task, task_data);  // fails early
  r.task_limit = p.integer("limit", 0, kMaxCount);
  const auto cache = score_cache_path(r);
  if (!p.flag("no-cache")) {
    for (const auto& candidate : {std::filesystem::path(out_file), cache}) {
      if (candidate.empty()) continue;
      if (auto reused = load_matching_scores(candidate, r, ckpt.config.num_layers)) {
        std::cerr << "[score] reusing " << candidate.string() << "\n";
        result.scores = *reused;
        result.reused = true;
        return result;
      }
    }
  }
  ScoreJob request;
  request.data = data;
  request.samples = r.samples;
  request.seq_len = r.seq_len;
  request.drops = r.plan;
  request.options.batch_size = p.integer("batch-size", 1, kMaxBatch);
  request.options.layer_drop_norm = r.layer_drop_norm;
  request.options.consecutive = consecutive;
  request.options.nll_delta = r.nll_delta;
  request.options.divergence = r.divergence;
  request.tasks = tasks;
  request.task_limit = r.task_limit;
  request.task_data = task_data;
  request.task_batch_size = batch_size(p, run.device);
  const auto start = std::chrono::steady_clock::now();
  result.scores = score_on_ranks(ranks, run, request, [&](const SessionOptions& options, JobContext& job) {
    return std::make_unique<Session>(ckpt, options, run.drops, job);  // the load and the scoring, one job
  });
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.lead = ranks.lead();
  if (!result.lead) return result;
  const std::string file = scores_to_json(result.scores, r, elapsed).dump(1) + "\n";
  if (!out_file.empty()) write_file_atomically(out_file, file);
  try {  // the cache only saves time: failing to write it must not lose the scores
    std::filesystem::create_directories(cache.parent_path());
    write_file_atomically(cache, file);
  } catch (const std::exception& e) {
    std::cerr << "[score] warning: cannot cache scores in " << cache.string() << ": " << e.what() << "\n";
  }
  return result;
}

nlohmann::json target_json(const ModuleScores& m, Metric metric) {
  if (!m.has(metric)) return {{"similarity", nullptr}, {"importance", nullptr}};  // e.g. angular-last's attn
  return {{"similarity", layer_values_json(m.similarity(metric))},
          {"importance", layer_values_json(m.importance(metric))}};
}

}  // namespace llmdrop::cli
