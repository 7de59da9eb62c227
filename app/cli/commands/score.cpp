#include <chrono>
#include <cstdio>
#include <iostream>

#include "analysis/selection.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "cli/scoring.h"
#include "model/shapes.h"
#include "session/jobs.h"

namespace llmdrop::cli {

namespace {

// --random-weights: a model of --shape made on the device, scored on random token ids, for timing a shape
// without a checkpoint (nothing is cached or written).
ScoredModel score_random_model(const ArgParser& p, bool consecutive, double& seconds) {
  if (p.positional("MODEL") || p.has("data") || p.has("out") || !metric_tasks(p.value("metric")).empty())
    throw UsageError(
        "--random-weights scores random token ids of --shape: give no MODEL, --data, --out or task metric");
  const ModelConfig shape = shape_config(p.value("shape"));
  const RunOptions run = run_options(p, shape);
  ScoreJob request;
  request.samples = p.integer("samples", 1, kMaxCount);
  request.seq_len = p.integer("seq-len", 2, kMaxLength);
  request.drops = run.drops;
  request.options.batch_size = p.integer("batch-size", 1, kMaxBatch);
  request.options.layer_drop_norm = !p.flag("no-norm");
  request.options.consecutive = consecutive;
  const Metric metric = parse_metric(p.value("metric"));
  request.options.nll_delta = metric == Metric::NllDelta;
  request.options.divergence = metric == Metric::Kl || metric == Metric::Js;
  const auto start = std::chrono::steady_clock::now();
  ScoredModel scored;
  const Ranks ranks = open_ranks(p, run);
  scored.lead = ranks.lead();
  scored.scores = score_on_ranks(ranks, run, request, [&](const SessionOptions& options, JobContext& job) {
    return Session::random(shape, options, run.drops, job);
  });
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return scored;
}

void run_score(const ArgParser& p) {
  const std::string target = p.value("target");
  const Metric metric = parse_metric(p.value("metric"));
  if (target != "all") parse_module_kind(target);
  double seconds = 0;
  ScoredModel scored;
  const bool consecutive = p.flag("consecutive") || needs_consecutive(metric);
  if (p.flag("random-weights")) {
    scored = score_random_model(p, consecutive, seconds);
  } else {
    if (p.has("shape")) throw UsageError("--shape needs --random-weights");
    const Checkpoint ckpt = open_checkpoint(p);
    const std::string out_file = p.has("out") ? output_file(p, "out", &ckpt) : "";
    scored = score_model(p, ckpt, run_options(p, ckpt.config), consecutive, out_file);
  }
  if (!scored.lead) return;
  const ImportanceScores& s = scored.scores;
  nlohmann::json out = {{"target", target},
                        {"metric", to_string(metric)},
                        {"tokens", s.tokens},
                        {"base_nll", s.base_nll},
                        {"reused", scored.reused}};
  if (p.flag("random-weights")) out["seconds"] = seconds;
  if (target == "all") {
    out["attn"] = target_json(s.attn, metric);
    out["mlp"] = target_json(s.mlp, metric);
    out["block"] = target_json(s.block, metric);
  } else {
    out.update(target_json(s.of(parse_module_kind(target)), metric));
  }
  const nlohmann::json written = scores_to_json(s, scored.request, 0);
  if (written.contains("consecutive")) out["consecutive"] = written["consecutive"];
  std::vector<Span> spans;
  if (metric == Metric::AngularLast) {
    out["last_token_angular"] = written["last_token_angular"];
    spans = closest_spans(s, {});
    out["spans"] = nlohmann::json::array();
    for (const Span& span : spans)
      out["spans"].push_back({{"n", span.n}, {"first", span.first}, {"distance", span.distance}});
  }
  if (metric == Metric::Task) out["tasks"] = written["tasks"];
  if (p.flag("json")) return print_json(out);
  if (metric == Metric::Task) {  // each task's NLL increases, one table per task
    for (const TaskImportance& t : s.tasks) {
      std::cout << t.task << ": " << t.documents << " documents, " << t.tokens
                << " gold-answer tokens, NLL per token " << format_number(t.base_nll, 4) << "\n"
                << "layer  NLL increase when left out (higher = more important)\n"
                << "       block      attn       mlp\n";
      for (size_t i = 0; i < t.block.nll_delta.size(); ++i) {
        char line[96];
        std::snprintf(line, sizeof line, "%5zu  %9.6f  %9.6f  %9.6f\n", i, t.block.nll_delta[i],
                      t.attn.nll_delta[i], t.mlp.nll_delta[i]);
        std::cout << line;
      }
    }
    return;
  }
  if (metric == Metric::AngularLast) {  // Gromov et al.'s choice for each span length
    std::cout << "    n  blocks        d(first, first+n) on the last token\n";
    for (const Span& span : spans) {
      char line[96];
      std::snprintf(line, sizeof line, "%5lld  [%3lld, %3lld)  %9.6f\n", static_cast<long long>(span.n),
                    static_cast<long long>(span.first), static_cast<long long>(span.first + span.n),
                    span.distance);
      std::cout << line;
    }
    return;
  }
  std::cout << "layer  similarity (" << to_string(metric) << "; higher = more redundant)\n"
            << "       block      attn       mlp\n";
  const auto block = s.block.similarity(metric), attn = s.attn.similarity(metric),
             mlp = s.mlp.similarity(metric);
  for (size_t i = 0; i < block.size(); ++i) {
    char line[96];
    std::snprintf(line, sizeof line, "%5zu  %9.6f  %9.6f  %9.6f\n", i, block[i], attn[i], mlp[i]);
    std::cout << line;
  }
}

}  // namespace

Command score_command() {
  return {"score", "Per-layer similarity / importance of blocks, attention and MLP on calibration text.",
          SharedOptions::Model,
          [](ArgParser& p) {
            p.add_option("target", "TARGET", "block, attn, mlp or all", "all");
            add_calibration_options(p);
            p.add_flag("consecutive", "also the matrix cos(h_i, h_{i+g}) for consecutive block drop");
            p.add_option("out", "FILE", "write the scores (with everything needed to reproduce them) here");
            add_random_weights_options(p, "scored on random token ids (timing)");
          },
          run_score};
}

}  // namespace llmdrop::cli
