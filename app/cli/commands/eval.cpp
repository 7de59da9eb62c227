#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "cli/ranks.h"
#include "eval/dataset.h"
#include "eval/evaluator.h"
#include "eval/task.h"
#include "model/model.h"
#include "model/shapes.h"
#include "session/jobs.h"
#include "util/error.h"

namespace llmdrop::cli {

namespace {

// --data-dir (then $LLMDROP_DATA_DIR) and --data TASK=FILE.
DataSources data_sources(const ArgParser& p) {
  DataSources sources;
  sources.data_dirs = task_data_dirs(p);
  for (const auto& spec : p.values("data")) {
    const size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
      throw UsageError("--data expects TASK=FILE, got '" + spec + "'");
    sources.files[spec.substr(0, eq)] = spec.substr(eq + 1);
  }
  return sources;
}

// The metrics of one task as table rows: metric (with its filter when not "none"), value, stderr.
void print_task_rows(const TaskResult& t, const std::string& label) {
  for (const auto& [key, value] : t.metrics) {
    if (key.find("_stderr,") != std::string::npos) continue;
    const size_t comma = key.find(',');
    const std::string metric = key.substr(0, comma), filter = key.substr(comma + 1);
    const auto err = t.metrics.find(metric + "_stderr," + filter);
    std::cout << "| " << label << " | " << t.num_fewshot << " | " << t.samples << " | "
              << metric + (filter == "none" ? "" : " (" + filter + ")") << " | " << format_number(value)
              << " | " << (err == t.metrics.end() ? "" : format_number(err->second)) << " | "
              << format_number(t.seconds, 1) << " |\n";
  }
}

nlohmann::json task_summary(const TaskResult& t, bool with_items) {
  nlohmann::json j = {{"n", t.samples}, {"num_fewshot", t.num_fewshot}, {"seconds", t.seconds}};
  for (const auto& [key, value] : t.metrics)
    if (key.size() > 5 && key.compare(key.size() - 5, 5, ",none") == 0)
      j[key.substr(0, key.size() - 5)] = value;
  j["metrics"] = t.metrics;
  if (with_items) {
    j["items"] = nlohmann::json::array();
    for (const auto& r : t.records) {
      nlohmann::json item = r;
      item.erase("task");
      j["items"].push_back(item);
    }
  }
  return j;
}

// The finished tasks of `results`: a table, or with --json their summaries and lm-eval's results.
void print_results(const ArgParser& p, Session& session, const EvalResults& results,
                   const EvalOptions& options) {
  if (p.flag("json")) {
    const nlohmann::json lm_eval = session.run(
        JobContext::silent(), [&](const Model& model) { return results_json(results, model, options); });
    nlohmann::json summary = {{"tasks", nlohmann::json::object()}, {"results", lm_eval}};
    for (const auto& t : results.tasks) {
      summary["tasks"][t.name] = task_summary(t, !options.samples_log.empty());
      for (const auto& s : t.subtasks)
        summary["tasks"][s.name] = task_summary(s, !options.samples_log.empty());
    }
    return print_json(summary);
  }
  if (results.tasks.empty()) return;
  std::cout << "| task | shots | n | metric | value | stderr | seconds |\n|---|---|---|---|---|---|---|\n";
  for (const auto& t : results.tasks) print_task_rows(t, t.name);
  std::cout << "total " << format_number(results.seconds, 1) << " s\n";
}

// After Ctrl-C: what is complete, where it was kept, and how to go on.
void explain_interruption(const EvalResults& finished, const EvalOptions& options) {
  std::string complete, incomplete;
  for (const auto& name : options.tasks) {
    const bool done = std::any_of(finished.tasks.begin(), finished.tasks.end(),
                                  [&](const TaskResult& t) { return t.name == name; });
    (done ? complete : incomplete) += ((done ? complete : incomplete).empty() ? "" : ", ") + name;
  }
  std::cerr << "llmdrop eval: interrupted with " << finished.tasks.size() << " of " << options.tasks.size()
            << " tasks complete" << (complete.empty() ? "" : " (" + complete + ")")
            << "; incomplete: " << incomplete << "\n";
  if (!options.results_file.empty() && !finished.tasks.empty())
    std::cerr << "  results of the complete tasks: " << options.results_file.string() << "\n";
  else if (options.results_file.empty())
    std::cerr << "  no --out FILE: what is printed above is all that is kept of the complete tasks\n";
  if (!options.samples_log.empty())
    std::cerr << "  every finished document: " << options.samples_log.string()
              << "\n  to continue where it stopped, run the same command again with --resume\n";
  else
    std::cerr
        << "  no --log-samples FILE: a new run starts the incomplete tasks over; with --log-samples FILE a "
           "run keeps every finished document and --resume continues it mid-task\n";
}

// MODEL, or with --random-weights a model of --shape with the bundled demo model's tokenizer (its 4,096 ids
// lie in every published shape's vocabulary), for timing an evaluation of a shape; its scores are chance.
Checkpoint eval_checkpoint(const ArgParser& p) {
  if (!p.flag("random-weights")) {
    if (p.has("shape")) throw UsageError("--shape needs --random-weights");
    return open_checkpoint(p);
  }
  if (p.positional("MODEL")) throw UsageError("give either MODEL or --random-weights --shape NAME");
  if (p.flag("resume"))
    throw UsageError("--resume continues the evaluation of a checkpoint, not of random weights");
  Checkpoint random = open_checkpoint(p);  // the demo model: its folder holds the tokenizer
  const ModelConfig shape = shape_config(p.value("shape"));
  if (shape.vocab_size < random.config.vocab_size)
    throw_bad_input("--shape " + p.value("shape") + " has " + std::to_string(shape.vocab_size) +
                    " token ids, fewer than the " + std::to_string(random.config.vocab_size) +
                    " of the demo tokenizer that --random-weights evaluates with");
  random.config = shape;
  random.tensors.reset();
  return random;
}

void run_eval(const ArgParser& p) {
  EvalOptions options;
  std::stringstream names(p.value("tasks"));
  for (std::string name; std::getline(names, name, ',');)
    if (!name.empty()) options.tasks.push_back(name);
  if (options.tasks.empty()) throw UsageError("--tasks names no task");
  options.data = data_sources(p);
  if (p.has("num-fewshot")) options.num_fewshot = p.integer("num-fewshot", 0, kMaxCount);
  options.limit = p.integer("limit", 0, kMaxCount);
  options.max_length = p.integer("max-length", 0, kMaxLength);
  if (p.has("max-gen-toks")) options.max_gen_toks = p.integer("max-gen-toks", 1, kMaxLength);
  options.resume = p.flag("resume");
  if (options.resume && !p.has("log-samples")) throw UsageError("--resume needs --log-samples FILE");
  // A wrong name or missing data fails before the model loads (seconds to minutes on a large model); the
  // evaluation reads the data again, a small cost beside scoring it.
  for (const auto& name : options.tasks) {
    const TaskSpec spec = find_task(name);
    load_task_data(spec, options.data, options.num_fewshot.value_or(spec.num_fewshot));
  }

  const Checkpoint ckpt = eval_checkpoint(p);
  const RunOptions run = run_options(p, ckpt.config);
  options.batch_size = batch_size(p, run.device);
  if (p.has("out")) options.results_file = output_file(p, "out", &ckpt);
  if (p.has("log-samples")) options.samples_log = output_file(p, "log-samples", &ckpt);
  const Ranks ranks = open_ranks(p, run);
  if (ranks.any() && options.resume)
    throw UsageError("--resume runs on one device: the ranks would disagree on the documents left");
  // Each rank evaluates on a session of its own; the lead prints (while its session lives) and writes.
  on_ranks<bool>(ranks, "eval", [&](const std::shared_ptr<Communicator>& rank, JobContext& job) {
    const bool leads = ranks.leads(rank);
    EvalOptions mine = options;
    mine.data_parallel = ranks.data_parallel(rank);
    if (!leads) mine.results_file.clear(), mine.samples_log.clear();
    Session session(ckpt, ranks.session_options(run, rank), run.drops, job);
    EvalResults finished;  // every task finished so far: what Ctrl-C keeps
    mine.task_finished = [&](const EvalResults& so_far) { finished = so_far; };
    try {
      finished = evaluate(session, run.drops, mine, job);
    } catch (const Error& e) {
      if (e.kind() != Error::Kind::Cancelled || !leads) throw;
      print_results(p, session, finished, mine);
      explain_interruption(finished, mine);
      throw;
    }
    if (leads) print_results(p, session, finished, mine);
    return leads;
  });
}

}  // namespace

Command eval_command() {
  return {
      "eval",
      "lm-eval-style evaluation (docs/evaluation.md): multiple choice, loglikelihood, perplexity, "
      "generation.",
      SharedOptions::Model,
      [](ArgParser& p) {
        p.add_option("tasks", "LIST", "comma-separated tasks, e.g. arc_easy,hellaswag (see llmdrop tasks)");
        add_task_data_dir_option(p);
        p.add_option("data", "TASK=FILE", "a task's evaluation file (repeatable)");
        p.add_option("num-fewshot", "N", "few-shot examples per question (default: each task's own)");
        p.add_option("limit", "N", "first N documents of each task (each MMLU subject); 0 = all", "0");
        p.add_option("batch-size", "N", "packed sequences per forward pass; auto = 1 on cpu, 16 on cuda",
                     "auto");
        p.add_option("max-length", "N",
                     "model context for truncation and windows (0 = max_position_embeddings)", "0");
        p.add_option("max-gen-toks", "N",
                     "new tokens at most for generation tasks (default: each task's own)");
        p.add_option("out", "FILE",
                     "write results in lm-eval's layout (rewritten as each task finishes, so an "
                     "interrupted run keeps the finished tasks)");
        p.add_option("log-samples", "FILE",
                     "per-document JSON Lines (doc id, lls, prediction, gold), written as documents "
                     "finish");
        p.add_flag("resume",
                   "continue the --log-samples file of an interrupted run, skipping the documents it has");
        add_stream_layers_flag(p);
        add_devices_options(p);
        add_random_weights_options(p, "tokenized by the bundled demo model's tokenizer (for timing)");
      },
      run_eval};
}

}  // namespace llmdrop::cli
