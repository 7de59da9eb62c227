#include <iostream>

#include "analysis/selection.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "cli/scoring.h"
#include "export/exporter.h"
#include "session/jobs.h"
#include "util/error.h"
#include "util/input.h"
#include "util/sha256.h"

namespace llmdrop::cli {

namespace {

// LLM-Drop's iterative selection on --data: drop one module, re-score, repeat.
DropPlan select_on_data(const ArgParser& p, const Checkpoint& ckpt, const RunOptions& run,
                        const DropTarget& target, int64_t n, const SelectionOptions& selection,
                        nlohmann::json& record) {
  if (!p.has("data")) throw UsageError("--strategy iterative re-scores after every drop: it needs --data");
  ScoreJob request;
  request.data = p.value("data");
  request.samples = p.integer("samples", 1, kMaxCount);
  request.seq_len = p.integer("seq-len", 1, kMaxLength);
  request.drops = run.drops;
  request.options.batch_size = batch_size(p, run.device);
  request.options.layer_drop_norm = !p.flag("no-norm");
  request.options.nll_delta = selection.metric == Metric::NllDelta;
  request.options.divergence = selection.metric == Metric::Kl || selection.metric == Metric::Js;
  record["data"] = fs_absolute(request.data);
  record["data_sha256"] = sha256_file(request.data);  // a missing file fails before the load
  const auto session = open_session(ckpt, run);
  JobContext job = progress_printer("iterative");
  return select_iterative(*session, request, target, n, selection, job);
}

// --scores FILE from llmdrop score, made for this model with the drops it has now.
ImportanceScores read_scores(const ArgParser& p, const Checkpoint& ckpt, const DropPlan& drops,
                             nlohmann::json& record) {
  const std::string file = p.value("scores");
  const nlohmann::json j = read_json_file(file);
  ImportanceScores scores;
  try {
    scores = scores_from_json(j, ckpt.config.num_layers);
  } catch (const Error& e) {
    throw_bad_input(file + ": " + e.what());
  }
  const auto request = j.value("request", nlohmann::json::object());
  const auto fingerprint = request.is_object() ? request.value("model_fingerprint", std::string()) : "";
  if (fingerprint != weights_fingerprint(ckpt))
    throw_bad_input(file + " was computed for another model (weights fingerprint differs)");
  if (scores.plan != drops)
    throw_bad_input(file + " was computed with other drops than this model has now (attn [" +
                    format_indices(scores.plan.attn) + "], mlp [" + format_indices(scores.plan.mlp) + "])");
  record["scores_request"] = request;
  return scores;
}

// The modules --target and --n choose, from --scores or scores of --data, on top of the drops the model has
// now.
DropPlan choose_drops(const ArgParser& p, const Checkpoint& ckpt, const RunOptions& run,
                      nlohmann::json& record) {
  const DropTarget target = parse_drop_target(p.value("target"));
  const Strategy strategy = parse_strategy(p.value("strategy"));
  const int64_t n = p.integer("n", 0, kMaxCount);
  SelectionOptions selection;
  selection.metric = parse_metric(p.value("metric"));
  selection.keep_first = p.flag("keep-first");
  selection.keep_last = p.flag("keep-last");
  if (strategy == Strategy::Consecutive && (target.joint || target.kind != ModuleKind::Block))
    throw UsageError("--strategy consecutive drops whole blocks: use --target block");
  const std::vector<std::string> tasks = metric_tasks(p.value("metric"));
  if (tasks.size() > 1) throw UsageError("drop by one task's importance: --metric task:NAME");
  if (!tasks.empty() && strategy == Strategy::Iterative)
    throw UsageError(
        "--strategy iterative re-scores calibration text: use discrete or consecutive with task:NAME");
  record = {{"target", p.value("target")},        {"n", n},
            {"strategy", p.value("strategy")},    {"metric", to_string(selection.metric)},
            {"keep_first", selection.keep_first}, {"keep_last", selection.keep_last}};
  if (strategy == Strategy::Iterative) return select_on_data(p, ckpt, run, target, n, selection, record);
  ImportanceScores scores;
  if (p.has("scores")) {
    scores = read_scores(p, ckpt, run.drops, record);
  } else if (p.has("data")) {
    const ScoredModel scored = score_model(
        p, ckpt, run, strategy == Strategy::Consecutive || needs_consecutive(selection.metric), "");
    scores = scored.scores;
    record["scores_request"] = scored.request.to_json();
  } else {
    throw UsageError("give --scores FILE (from llmdrop score) or --data FILE");
  }
  if (!tasks.empty()) scores = scores.for_task(tasks.front());  // its NLL increases decide
  const DropPlan plan = strategy == Strategy::Consecutive ? select_consecutive(scores, n, selection)
                                                          : select_discrete(scores, target, n, selection);
  record["similarity"] = {{"block", target_json(scores.block, selection.metric)["similarity"]},
                          {"attn", target_json(scores.attn, selection.metric)["similarity"]},
                          {"mlp", target_json(scores.mlp, selection.metric)["similarity"]}};
  return plan;
}

void run_drop(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  const std::string out_dir = export_dir(p, ckpt);
  const RunOptions run = run_options(p, ckpt.config);
  nlohmann::json record;
  // Without --target and --n: the model's lists (--drop-attn / --drop-mlp, else config.json's), as they are.
  DropPlan plan = run.drops;
  if (p.has("target") || p.has("n")) {
    plan = choose_drops(p, ckpt, run, record);
  } else if (plan.empty()) {
    throw UsageError("nothing to drop: choose with --target and --n, or give --drop-attn / --drop-mlp");
  } else {
    record["chosen"] = "given";
  }
  record["source"] = fs_absolute(ckpt.dir);
  record["source_fingerprint"] = weights_fingerprint(ckpt);
  record.update(drop_lists_json(plan));
  record["pruned_weights"] = p.flag("prune-weights");
  if (p.flag("prune-weights") && plan.attn != plan.mlp)
    std::cerr
        << "llmdrop: warning: only whole blocks can be removed for plain transformers; this export keeps "
           "drop lists and lacks the dropped tensors, so it loads correctly only in llmdrop or with "
           "LLM-Drop's modeling code (transformers alone would initialise the missing weights randomly)\n";
  if (p.flag("prune-weights"))
    export_pruned(ckpt, plan, out_dir, record);
  else
    export_drop_config(ckpt, plan, out_dir, record);
  nlohmann::json out = drop_lists_json(plan);
  out["out"] = fs_absolute(out_dir);
  if (p.flag("json")) return print_json(out);
  std::cout << "drop_attn_list: [" << format_indices(plan.attn) << "]\ndrop_mlp_list:  ["
            << format_indices(plan.mlp) << "]\nwritten to " << out_dir << "\n";
}

}  // namespace

Command drop_command() {
  return {"drop", "Choose modules to drop and export a config.json (LLM-Drop style) or a pruned checkpoint.",
          SharedOptions::Model,
          [](ArgParser& p) {
            p.add_option(
                "target", "TARGET",
                "attn, mlp, block, or all (attention and MLP ranked together); without --target and "
                "--n the drops given by --drop-attn / --drop-mlp (else config.json's) are exported as they "
                "are");
            p.add_option("n", "N", "how many modules (or blocks) to drop");
            p.add_option("strategy", "S", "discrete, consecutive (blocks, gap n) or iterative", "discrete");
            p.add_option("scores", "FILE", "scores from llmdrop score (else computed from --data)");
            add_calibration_options(p);
            p.add_flag("keep-first", "never drop layer 0");
            p.add_flag("keep-last", "never drop the last layer");
            p.add_option("out", "DIR", "new directory for the export (the source is never modified)");
            p.add_flag("prune-weights", "write safetensors without the dropped modules' tensors");
          },
          run_drop};
}

}  // namespace llmdrop::cli
