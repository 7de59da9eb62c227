#include "session/session.h"

#include <chrono>

#include "checkpoint/tokenizer.h"
#include "model/device.h"
#include "model/model.h"
#include "util/error.h"

namespace llmdrop {

namespace {
LoadOptions load_options(const SessionOptions& options, const DropPlan& plan) {
  LoadOptions load;
  load.device = options.device;
  load.dtype = options.dtype;
  load.drops = plan;
  load.stream_layers = options.stream_layers;
  load.stream_if_needed = options.stream_if_needed;
  load.tensor_parallel = options.tensor_parallel;
  return load;
}
}  // namespace

Session::Session(Checkpoint checkpoint, const SessionOptions& options, const DropPlan& plan, JobContext& job)
    : checkpoint_(std::move(checkpoint)) {
  model_ = Model::load_in_job(checkpoint_, load_options(options, plan), job);
  device_ = device_list(model_->devices());
  dtype_ = dtype_name(model_->dtype());
  streamed_ = model_->streamed();
}

Session::Session(Checkpoint checkpoint, std::unique_ptr<Model> model)
    : checkpoint_(std::move(checkpoint)), model_(std::move(model)) {
  device_ = device_list(model_->devices());
  dtype_ = dtype_name(model_->dtype());
  streamed_ = model_->streamed();
}

std::unique_ptr<Session> Session::load(Checkpoint checkpoint, const SessionOptions& options,
                                       const DropPlan& plan, JobContext& job) {
  auto model = Model::load(checkpoint, load_options(options, plan), job);
  return std::unique_ptr<Session>(new Session(std::move(checkpoint), std::move(model)));
}

std::unique_ptr<Session> Session::random(const ModelConfig& config, const SessionOptions& options,
                                         const DropPlan& plan, JobContext& job) {
  Checkpoint shape;
  shape.config = config;
  auto model = Model::random(config, load_options(options, plan), 0, job);
  return std::unique_ptr<Session>(new Session(std::move(shape), std::move(model)));
}

Session::~Session() = default;

const Tokenizer& Session::tokenizer() const {
  const std::lock_guard lock(tokenizer_mutex_);
  // Random weights of a shape alone have no folder (random weights beside a tokenizer's folder have one).
  if (checkpoint_.dir.empty()) throw_bad_input("a model with random weights has no tokenizer");
  if (!tokenizer_)
    tokenizer_ = std::make_unique<Tokenizer>(Tokenizer::open(checkpoint_.dir, checkpoint_.config));
  return *tokenizer_;
}

void Session::set_plan(const DropPlan& plan, JobContext& job) {
  if (model_->drops() != plan) model_->set_drops(plan, job);
}

std::optional<ImportanceScores> Session::scores(const std::string& key) const {
  const std::lock_guard lock(scores_mutex_);
  const auto it = scores_.find(key);
  return it == scores_.end() ? std::nullopt : std::optional(it->second);
}

void Session::keep_scores(const std::string& key, const ImportanceScores& scores) {
  const std::lock_guard lock(scores_mutex_);
  scores_[key] = scores;
}

Session::Turn::Turn(Session& session, JobContext& job) : session_(session) {
  std::unique_lock lock(session.queue_mutex_);
  const uint64_t ticket = session.next_ticket_++;
  // Polled: a cancel comes from another thread without touching this condition variable.
  while (session.serving_ != ticket) {
    if (job.cancelled()) {
      // Leave the queue: later tickets must not wait for this one. Tickets are served in order, so this one
      // is skipped by marking it served when its turn comes.
      session.cancelled_tickets_.insert(ticket);
      session.queue_changed_.notify_all();
      throw Error(Error::Kind::Cancelled, "cancelled");
    }
    session.queue_changed_.wait_for(lock, std::chrono::milliseconds(20));
  }
}

Session::Turn::~Turn() {
  const std::lock_guard lock(session_.queue_mutex_);
  ++session_.serving_;
  while (session_.cancelled_tickets_.erase(session_.serving_)) ++session_.serving_;
  session_.queue_changed_.notify_all();
}

}  // namespace llmdrop
