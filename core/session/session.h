#pragma once
// One opened checkpoint with its resident model, for every job of the workbench and the CLI: the tokenizer,
// one Model on a device and dtype, the current drop plan and the scores computed so far. A job asks for the
// plan it needs and the model changes only the modules that differ (Model::set_drops): no job loads the
// checkpoint again. Jobs run one at a time per session in the order they were submitted; one waiting for its
// turn can be cancelled. Torch-free, for the GUI.
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "analysis/scores.h"
#include "checkpoint/checkpoint.h"
#include "checkpoint/drop_plan.h"
#include "jobs/job.h"

namespace llmdrop {

class Communicator;
class Model;
class Tokenizer;

struct SessionOptions {
  std::string device = "cpu";     // or several, "cuda:0,cuda:1": the layers placed over them (device_list.h)
  std::string dtype = "auto";     // float32 on a CPU, the checkpoint's dtype on a GPU
  bool stream_layers = false;     // one decoder layer on the device at a time (LoadOptions::stream_layers)
  bool stream_if_needed = false;  // only when the model would not fit resident
  // This rank's share of every layer (LoadOptions::tensor_parallel); the device must be the rank's.
  std::shared_ptr<const Communicator> tensor_parallel;
};

class Session {
 public:
  // Loads `checkpoint` with `plan` (progress per layer, cancellable between layers).
  Session(Checkpoint checkpoint, const SessionOptions& options, const DropPlan& plan,
          JobContext& job = JobContext::silent());
  // The same with the load as a job of its own: progress as Model::load reports it (embeddings, each layer,
  // then "loaded", of num_layers + 1), as the CLI shows it.
  static std::unique_ptr<Session> load(Checkpoint checkpoint, const SessionOptions& options,
                                       const DropPlan& plan, JobContext& job = JobContext::silent());
  // A session on random weights of `config`'s shape (Model::random: seed 0, made on the device, progress as
  // Model::random reports it), for speed and memory studies without a checkpoint. Its checkpoint has the
  // config only: no folder, no tokenizer.
  static std::unique_ptr<Session> random(const ModelConfig& config, const SessionOptions& options,
                                         const DropPlan& plan, JobContext& job = JobContext::silent());
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const Checkpoint& checkpoint() const { return checkpoint_; }
  const ModelConfig& config() const { return checkpoint_.config; }
  // The checkpoint's tokenizer, opened on first use; BadInput when it has none.
  const Tokenizer& tokenizer() const;
  const std::string& device() const { return device_; }  // e.g. "cuda:0"; "cuda:0,cuda:1" when placed
  const std::string& dtype() const { return dtype_; }    // resolved: "float32", "bfloat16" or "float16"
  bool streamed() const { return streamed_; }            // the decoder layers stream (LoadOptions)

  // Runs `work(model)` once the jobs submitted before it have finished, with the model's drops set to `plan`.
  template <class Work>
  auto run(const DropPlan& plan, JobContext& job, Work&& work) {
    const Turn turn(*this, job);
    set_plan(plan, job);
    return work(*model_);
  }
  // The same on the plan the model has now (jobs that measure several plans set them themselves).
  template <class Work>
  auto run(JobContext& job, Work&& work) {
    const Turn turn(*this, job);
    return work(*model_);
  }

  // Scores kept under `key` (the request that made them), or nullopt.
  std::optional<ImportanceScores> scores(const std::string& key) const;
  void keep_scores(const std::string& key, const ImportanceScores& scores);

 private:
  // A place in the queue: waits (cancellably) until every earlier turn has ended.
  class Turn {
   public:
    Turn(Session& session, JobContext& job);
    ~Turn();

   private:
    Session& session_;
  };
  Session(Checkpoint checkpoint, std::unique_ptr<Model> model);  // for load() and random()
  void set_plan(const DropPlan& plan, JobContext& job);

  Checkpoint checkpoint_;
  std::string device_, dtype_;
  bool streamed_ = false;
  std::unique_ptr<Model> model_;
  mutable std::unique_ptr<Tokenizer> tokenizer_;
  mutable std::mutex tokenizer_mutex_;
  std::mutex queue_mutex_;
  std::condition_variable queue_changed_;
  uint64_t next_ticket_ = 0, serving_ = 0;
  std::set<uint64_t> cancelled_tickets_;  // left the queue before their turn
  mutable std::mutex scores_mutex_;
  std::map<std::string, ImportanceScores> scores_;
};

}  // namespace llmdrop
