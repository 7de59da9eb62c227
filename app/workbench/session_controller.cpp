#include "session_controller.h"

#include <QCoreApplication>
#include <QPointer>
#include <chrono>

#include "checkpoint/default_model.h"
#include "checkpoint/tokenizer.h"
#include "export/exporter.h"
#include "model/device_list.h"
#include "util/error.h"
#include "util/input.h"

namespace llmdrop::workbench {

namespace {

std::shared_ptr<Session> load_session(const Checkpoint& checkpoint, const SessionOptions& options,
                                      const DropPlan& plan, JobContext& job, std::atomic<int>& loads) {
  auto session = std::make_shared<Session>(checkpoint, options, plan, job);
  ++loads;
  return session;
}

// The workbench's sessions stream their layers only when the model would not fit on the device.
SessionOptions with_streaming_if_needed(std::string device, std::string dtype) {
  SessionOptions options{std::move(device), std::move(dtype)};
  options.stream_if_needed = true;
  return options;
}

std::shared_future<std::shared_ptr<Session>> ready(std::shared_ptr<Session> session) {
  std::promise<std::shared_ptr<Session>> loaded;
  loaded.set_value(std::move(session));
  return loaded.get_future().share();
}

}  // namespace

SessionController::SessionController(QObject* parent, Residency residency)
    : QObject(parent),
      jobs_(new widgets::JobManager(this)),
      residency_(residency),
      bundled_text_(find_default_calibration(QCoreApplication::applicationDirPath().toStdString())) {}

double SessionController::HeldOutText::perplexity(const Checkpoint& checkpoint, const Model& model,
                                                  const std::filesystem::path& text, bool keep_states,
                                                  JobContext& job) {
  const std::lock_guard lock(mutex_);
  if (!measured_) {
    const Tokenizer tokenizer = Tokenizer::open(checkpoint.dir, checkpoint.config);
    std::vector<int64_t> tokens = tokenizer.encode(read_file(text));
    if (static_cast<int64_t>(tokens.size()) > kHeldOutTokens)
      tokens.erase(tokens.begin(), tokens.end() - kHeldOutTokens);
    const int64_t window = std::min(kWindow, checkpoint.config.max_position_embeddings);
    measured_.emplace(tokens, tokenizer.bos_id(), window, 0, keep_states ? TextPerplexity::kKeptBytes : 0);
  }
  return measured_->measure(model, job).ppl;
}

std::shared_ptr<Session> SessionController::SessionRef::get(const DropPlan& plan, JobContext& job) const {
  // Polled: the session may still be loading in another job, and a cancel must not wait for that.
  while (session.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready)
    job.throw_if_cancelled();
  const std::shared_ptr<Session> resident = session.get();  // rethrows what stopped the load
  if (!load_per_job) return resident;
  return load_session(resident->checkpoint(), with_streaming_if_needed(resident->device(), resident->dtype()),
                      plan, job, *models_loaded);
}

// text_perplexity's measurement, on tokens encoded once per model instead of at every call (encoding the
// bundled text takes longer than scoring its last 2048 tokens on a CPU). Encoded in the job's turn: a decode
// speed measured meanwhile would share the processor with it.
double SessionController::SessionRef::perplexity(Session& session, const DropPlan& plan,
                                                 const std::filesystem::path& text, JobContext& job) const {
  return session.run(plan, job, [&](Model& model) {
    return held_out->perplexity(session.checkpoint(), model, text, !load_per_job, job);
  });
}

SessionController::SessionRef SessionController::ref(const Resident& resident) const {
  return {resident.session, resident.held_out, residency_ == Residency::LoadPerJob, models_loaded_};
}

bool SessionController::place(const QString& device, const QString& dtype, QString* error) {
  try {
    check_device(device.toStdString());
    check_dtype(device.toStdString(), dtype.toStdString());
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  if (device == device_ && dtype == dtype_) return true;
  device_ = device;
  dtype_ = dtype;
  const bool a_is_current = compare_a_ == current_;
  if (current_) reload(current_);
  if (a_is_current)
    compare_a_ = current_;
  else if (compare_a_)
    reload(compare_a_);
  return true;
}

void SessionController::reload(std::shared_ptr<Resident>& resident) {
  // A promise, so that the jobs submitted meanwhile wait for this load rather than start one of their own.
  auto loaded = std::make_shared<std::promise<std::shared_ptr<Session>>>();
  const SessionOptions options = session_options();
  jobs_->start(tr("Load %1 on %2 (%3)").arg(resident->path, device_, dtype_),
               [loaded, checkpoint = resident->checkpoint, options, loads = models_loaded_](JobContext& job) {
                 try {
                   loaded->set_value(load_session(checkpoint, options, checkpoint.config.drops, job, *loads));
                 } catch (...) {
                   loaded->set_exception(std::current_exception());
                   throw;
                 }
               });
  // The held-out tokens do not depend on the device: they stay.
  resident = std::make_shared<Resident>(
      Resident{resident->path, resident->checkpoint, loaded->get_future().share(), resident->held_out});
}

template <class Result>
void SessionController::submit(Kind kind, const QString& title, std::function<Result(JobContext&)> work,
                               QObject* guard, Handlers<Result> on) {
  if (const auto it = tracked_.find(kind); it != tracked_.end()) jobs_->cancel(it->second);  // stale now
  // Whether this is the job of `kind` still tracked (which then stops being tracked): the same answer on
  // every call, since a handler that throws is followed by the failed handler.
  struct Ticket {
    int id = 0;
    std::optional<bool> tracked;
  };
  const auto ticket = std::make_shared<Ticket>();
  auto tracked = [this, kind, ticket] {
    if (!ticket->tracked) {
      const auto it = tracked_.find(kind);
      ticket->tracked = it != tracked_.end() && it->second == ticket->id;
      if (*ticket->tracked) tracked_.erase(it);
    }
    return *ticket->tracked;
  };
  // The controller's own bookkeeping runs whatever becomes of `guard`; the caller's handlers only while it
  // lives.
  ticket->id = jobs_->start<Result>(
      title, this, std::move(work),
      {[tracked, alive = QPointer<QObject>(guard), done = std::move(on.done)](const Result& result) {
         if (tracked() && alive && done) done(result);
       },
       [tracked, alive = QPointer<QObject>(guard), failed = std::move(on.failed)](const QString& error) {
         if (tracked() && alive && failed) failed(error);
       },
       [this, tracked, alive = QPointer<QObject>(guard), cancelled = std::move(on.cancelled)] {
         if (!tracked() || !alive) return;
         if (cancelled) cancelled();
         emit jobCancelled();
       }});
  tracked_[kind] = ticket->id;
}

void SessionController::open(const QString& title, const QString& path,
                             std::function<Checkpoint()> make_checkpoint, QObject* guard,
                             Handlers<Checkpoint> on) {
  struct Opened {
    Checkpoint checkpoint;
    std::shared_ptr<Session> session;
  };
  const SessionOptions options = session_options();
  submit<Opened>(
      Kind::Open, title,
      [make = std::move(make_checkpoint), options, loads = models_loaded_](JobContext& job) {
        Opened opened{make(), nullptr};
        opened.session =
            load_session(opened.checkpoint, options, opened.checkpoint.config.drops, job, *loads);
        return opened;
      },
      guard,
      {[this, path, options, done = std::move(on.done)](const Opened& opened) {
         current_ = std::make_shared<Resident>(Resident{path, opened.checkpoint, ready(opened.session)});
         if (options.device != device_.toStdString() || options.dtype != dtype_.toStdString())
           reload(current_);  // the device or precision changed while it opened
         if (done) done(opened.checkpoint);
       },
       std::move(on.failed), std::move(on.cancelled)});
}

SessionOptions SessionController::session_options() const {
  return with_streaming_if_needed(device_.toStdString(), dtype_.toStdString());
}

bool SessionController::streamed() const {
  return current_ && current_->session.valid() &&
         current_->session.wait_for(std::chrono::seconds(0)) == std::future_status::ready &&
         current_->session.get()->streamed();
}

const QString& SessionController::path() const {
  return current_->path;
}

const Checkpoint& SessionController::checkpoint() const {
  return current_->checkpoint;
}

ModelSummary SessionController::summary(const DropPlan& plan) const {
  const Checkpoint& c = checkpoint();
  ModelSummary s = summarize(c, plan, resolve_dtype(device_.toStdString(), dtype_.toStdString(), c.config));
  s.streamed_layers = streamed();
  return s;
}

PlanImpact SessionController::impact(const DropPlan& plan) const {
  return estimate_impact(summary(plan), decode_context());
}

int64_t SessionController::decode_context() const {
  return std::min(kDecodeContext, checkpoint().config.max_position_embeddings);
}

const std::filesystem::path& SessionController::held_out_text() const {
  if (!bundled_text_) throw_bad_input("the bundled held-out text was not found");
  return *bundled_text_;
}

void SessionController::score(const ScoreJob& request, const QString& title, QObject* guard,
                              Handlers<ImportanceScores> on) {
  submit<ImportanceScores>(
      Kind::Score, title,
      [ref = ref(*current_), request](JobContext& job) {
        return llmdrop::score(*ref.get(request.drops, job), request, job);
      },
      guard, std::move(on));
}

void SessionController::select_iterative(const ScoreJob& request, const DropTarget& target, int64_t n,
                                         const SelectionOptions& selection, const QString& title,
                                         QObject* guard, Handlers<DropPlan> on) {
  submit<DropPlan>(
      Kind::Select, title,
      [ref = ref(*current_), request, target, n, selection](JobContext& job) {
        return llmdrop::select_iterative(*ref.get(request.drops, job), request, target, n, selection, job);
      },
      guard, std::move(on));
}

void SessionController::held_out_perplexity(const DropPlan& plan, const QString& title, QObject* guard,
                                            Handlers<Perplexities> on) {
  const std::shared_ptr<Resident> resident = current_;
  submit<Perplexities>(
      Kind::Perplexity, title,
      [ref = ref(*resident), plan, full = resident->full_perplexity,
       baseline = modules_without_weights(resident->checkpoint), text = held_out_text()](JobContext& job) {
        const auto session = ref.get(plan, job);
        Perplexities measured{full, 0};
        if (measured.full == 0) measured.full = ref.perplexity(*session, baseline, text, job);
        measured.with_drops = plan == baseline ? measured.full : ref.perplexity(*session, plan, text, job);
        return measured;
      },
      guard,
      {[resident, done = std::move(on.done)](const Perplexities& measured) {
         resident->full_perplexity = measured.full;
         if (done) done(measured);
       },
       std::move(on.failed), std::move(on.cancelled)});
}

void SessionController::decode_speeds(const DropPlan& plan, const QString& title, QObject* guard,
                                      Handlers<SpeedupMeasurement> on,
                                      std::function<void(const SpeedupMeasurement&)> so_far) {
  const std::shared_ptr<Resident> resident = current_;
  // "Full": everything the checkpoint has weights for (an export's own drops stay dropped).
  const DropPlan baseline = modules_without_weights(resident->checkpoint);
  SpeedupOptions options;
  options.round = {decode_context(), kDecodeSteps};
  if (plan == baseline) options.min_pairs = 1;  // the speed alone; the ratio is 1
  const int generation = ++decode_generation_;
  if (so_far) {
    // Delivered on the UI thread while `guard` lives and no newer measurement has started.
    options.on_pair = [self = QPointer<SessionController>(this), watched = QPointer<QObject>(guard),
                       generation, so_far](const SpeedupMeasurement& m) {
      QMetaObject::invokeMethod(
          self.data(),
          [self, watched, generation, so_far, m] {
            if (self && watched && self->decode_generation_ == generation) so_far(m);
          },
          Qt::QueuedConnection);
    };
  }
  submit<SpeedupMeasurement>(
      Kind::DecodeSpeed, title,
      [ref = ref(*resident), baseline, plan, options](JobContext& job) {
        return llmdrop::measure_speedup(*ref.get(plan, job), baseline, plan, options, job);
      },
      guard, std::move(on));
}

void SessionController::measure_speed(const std::vector<DropPlan>& plans, const SpeedOptions& options,
                                      const QString& title, QObject* guard,
                                      Handlers<std::vector<std::vector<SpeedResult>>> on) {
  submit<std::vector<std::vector<SpeedResult>>>(
      Kind::Speed, title,
      [ref = ref(*current_), plans, options](JobContext& job) {
        return llmdrop::measure_speed(*ref.get(plans.front(), job), plans, options, job);
      },
      guard, std::move(on));
}

void SessionController::compare(const DropPlan& a, const DropPlan& b, const std::string& prompt,
                                const QString& title, QObject* guard, Handlers<Comparison> on) {
  constexpr int64_t kNewTokens = 32;
  submit<Comparison>(
      Kind::Compare, title,
      [ref_a = ref(*compare_a_), ref_b = ref(*current_), a, b, prompt,
       text = held_out_text()](JobContext& job) {
        Comparison measured;
        const auto session_a = ref_a.get(a, job);
        measured.perplexity_a = ref_a.perplexity(*session_a, a, text, job);
        measured.text_a = generate_text(*session_a, a, prompt, kNewTokens, job);
        const auto session_b = ref_b.get(b, job);
        measured.perplexity_b = ref_b.perplexity(*session_b, b, text, job);
        measured.text_b = generate_text(*session_b, b, prompt, kNewTokens, job);
        return measured;
      },
      guard, std::move(on));
}

void SessionController::evaluate(const DropPlan& plan, const EvalOptions& options, const QString& title,
                                 QObject* guard, Handlers<EvalResults> on) {
  submit<EvalResults>(
      Kind::Evaluate, title,
      [ref = ref(*current_), plan, options](JobContext& job) {
        return llmdrop::evaluate(*ref.get(plan, job), plan, options, job);
      },
      guard, std::move(on));
}

void SessionController::logit_lens(const DropPlan& plan, const std::string& prompt, int64_t k,
                                   const QString& title, QObject* guard, Handlers<LensView> on) {
  submit<LensView>(
      Kind::Lens, title,
      [ref = ref(*current_), plan, prompt, k](JobContext& job) {
        return llmdrop::logit_lens(*ref.get(plan, job), plan, prompt, k, job);
      },
      guard, std::move(on));
}

void SessionController::heal(const HealRequest& request, const std::filesystem::path& out,
                             const QString& title, QObject* guard, Handlers<HealOutcome> on,
                             std::function<void(const HealStep&)> on_step) {
  HealRequest r = request;
  const SessionOptions options = session_options();
  r.device = options.device;
  r.dtype = options.dtype;
  std::function<void(const HealStep&)> deliver;
  if (on_step)
    deliver = [self = QPointer<SessionController>(this), watched = QPointer<QObject>(guard),
               on_step](const HealStep& step) {
      QMetaObject::invokeMethod(
          self.data(),
          [self, watched, on_step, step] {
            if (self && watched) on_step(step);
          },
          Qt::QueuedConnection);
    };
  submit<HealOutcome>(
      Kind::Heal, title,
      [ref = ref(*current_), checkpoint = checkpoint(), baseline = modules_without_weights(checkpoint()), r,
       out, options, text = held_out_text(), deliver, loads = models_loaded_](JobContext& job) {
        nlohmann::json record = {{"tool", "llmdrop-workbench heal"},
                                 {"source", std::filesystem::absolute(checkpoint.dir).string()},
                                 {"data", std::filesystem::absolute(r.data).string()},
                                 {"steps", r.steps},
                                 {"rank", r.rank},
                                 {"alpha", r.alpha},
                                 {"lr", r.lr}};
        record.update(drop_lists_json(r.drops));
        HealOutcome outcome;
        outcome.out = out;
        {
          const auto resident = ref.get(r.drops, job);
          outcome.before.full = ref.perplexity(*resident, baseline, text, job);
          outcome.before.with_drops = ref.perplexity(*resident, r.drops, text, job);
        }
        outcome.result = llmdrop::heal(checkpoint, r, out, record, /*resume=*/true, job, deliver);
        const Checkpoint healed = Checkpoint::open(out);
        const auto session = load_session(healed, options, healed.config.drops, job, *loads);
        HeldOutText held_out;
        outcome.healed_perplexity = session->run(healed.config.drops, job, [&](Model& model) {
          return held_out.perplexity(healed, model, text, false, job);
        });
        return outcome;
      },
      guard, std::move(on));
}

void SessionController::export_plan(const DropPlan& plan, const std::filesystem::path& dir, bool pruned,
                                    const nlohmann::json& record, const QString& title, QObject* guard,
                                    Handlers<std::filesystem::path> on) {
  submit<std::filesystem::path>(
      Kind::Export, title,
      [checkpoint = checkpoint(), plan, dir, pruned, record](JobContext& job) {
        if (pruned)
          export_pruned(checkpoint, plan, dir, record, job);
        else
          export_drop_config(checkpoint, plan, dir, record);
        return dir;
      },
      guard, std::move(on));
}

}  // namespace llmdrop::workbench
