#pragma once
// Runs lm-eval-style tasks on a loaded model: builds each document's prompts and requests exactly as lm-eval
// does (docs/evaluation.md), scores them (loglikelihood.h) or generates, and aggregates lm-eval's metrics. A
// per-sample log, written as documents finish, makes a cancelled run resumable mid-task; the results file,
// rewritten as tasks finish, keeps every finished task.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eval/dataset.h"
#include "eval/loglikelihood.h"
#include "eval/task.h"
#include "jobs/job.h"

namespace llmdrop {

class Communicator;
class Model;
class Tokenizer;

struct EvalResults;

struct EvalOptions {
  std::vector<std::string> tasks;
  DataSources data;
  std::optional<int64_t> num_fewshot;  // overrides every task's default
  int64_t limit = 0;                   // documents per (sub)task; 0 = all
  int64_t batch_size = 16;
  int64_t max_length = 0;               // 0 = the model's max_position_embeddings
  std::optional<int64_t> max_gen_toks;  // overrides generation tasks' max_gen_toks
  std::filesystem::path samples_log;    // per-sample JSON Lines; empty = none
  bool resume = false;                  // continue `samples_log`, skipping the documents it already has
  std::filesystem::path results_file;   // results_json, written atomically after each task; empty = none
  // Called after each task with every task finished so far: what a cancelled run keeps.
  std::function<void(const EvalResults& finished)> task_finished;
  // Data parallel: this rank scores its share of the loglikelihood requests (ScoringOptions); generation
  // runs whole on every rank. Only one rank should name a samples log or results file.
  std::shared_ptr<const Communicator> data_parallel;
};

struct TaskResult {
  std::string name;  // "arc_easy", "mmlu", "mmlu_anatomy"
  std::map<std::string, double>
      metrics;            // lm-eval keys: "acc,none", "acc_stderr,none", "exact_match,strict-match"
  int64_t samples = 0;    // documents evaluated
  int64_t available = 0;  // documents in the data
  int64_t num_fewshot = 0;
  double seconds = 0;
  nlohmann::json config;                // the task's settings, for the results file
  std::vector<nlohmann::json> records;  // one per document, in document order
  std::vector<TaskResult> subtasks;     // a group's members (MMLU subjects)
};

struct EvalResults {
  std::vector<TaskResult> tasks;
  double seconds = 0;
};

EvalResults evaluate(const Model& model, const Tokenizer& tokenizer, const EvalOptions& options,
                     JobContext& job = JobContext::silent());

// The requests that score each document's gold answer (the gold choice, the target, the reference text) for
// the tasks, data, few-shot setting and limit of `options`: what task-specific importance measures
// (analysis/importance.h).
struct GoldRequests {
  std::vector<TokenRequest> requests;
  int64_t documents = 0;
};
GoldRequests gold_requests(const Model& model, const Tokenizer& tokenizer, const EvalOptions& options);
// What `task`'s results depend on: its definition's and its data files' paths and hashes (BadInput when the
// task or its data cannot be found).
nlohmann::json task_inputs_json(const std::string& task, const DataSources& data);

// lm-eval's results layout (results, groups, group_subtasks, configs, n-shot, n-samples, config) plus the
// model's path and drop lists, the elapsed time, and which of options.tasks the results hold
// (`tasks_complete`) and which they lack (`tasks_incomplete`: an interrupted run's).
nlohmann::json results_json(const EvalResults& results, const Model& model, const EvalOptions& options);

// The few-shot examples of document `doc_index`: `first_n`, or our seeded sampler (docs/evaluation.md) over a
// pool of `pool_size` documents, leaving out `doc_index` itself when `exclude_self`.
std::vector<int64_t> fewshot_indices(const std::string& sampler, uint64_t seed, int64_t doc_index,
                                     int64_t pool_size, int64_t k, bool exclude_self);

}  // namespace llmdrop
