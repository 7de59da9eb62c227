#pragma once
// The workbench's resident models and the jobs that run on them. The current model's session is made when the
// model is opened, on the jobs' device and precision, and made again when those change; the compare view's A
// keeps the session of the model it was pinned on. Every job (scoring, selection, held-out perplexity, decode
// speed, speed rounds, evaluation, comparison) runs against a session (core/session): none loads the
// checkpoint again. Results are typed values handed, on the UI thread, to handlers bound to a guard object
// (widgets::ResultHandlers): a closed window is never called back.
#include <QObject>
#include <atomic>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/impact.h"
#include "checkpoint/summary.h"
#include "eval/perplexity.h"
#include "heal/heal.h"
#include "job_manager.h"
#include "session/jobs.h"

namespace llmdrop::workbench {

struct Perplexities {
  double full = 0, with_drops = 0;  // of the held-out text
};
struct HealOutcome {
  HealResult result;
  std::filesystem::path out;     // the merged checkpoint (and its adapter/)
  Perplexities before;           // of the held-out text: the full model's and the plan's
  double healed_perplexity = 0;  // and the merged checkpoint's
};
struct Comparison {
  double perplexity_a = 0, perplexity_b = 0;
  std::string text_a, text_b;  // greedy continuations of the prompt
};

class SessionController : public QObject {
  Q_OBJECT
 public:
  template <class Result>
  using Handlers = widgets::ResultHandlers<Result>;
  // Resident: jobs run on their model's session. LoadPerJob: every job loads a model of its own, as the
  // workbench did before sessions (bench_toggle_latency --reload compares the two).
  enum class Residency { Resident, LoadPerJob };
  // The jobs the window starts. One of each kind is tracked: a newer one supersedes (cancels) the older,
  // whose handlers then never run.
  enum class Kind {
    Open,
    Score,
    Select,
    Perplexity,
    DecodeSpeed,
    Speed,
    Compare,
    Evaluate,
    Lens,
    Export,
    Heal
  };
  // The held-out measurement: the last kHeldOutTokens tokens of the bundled text in windows of kWindow
  // tokens.
  static constexpr int64_t kHeldOutTokens = 2048, kWindow = 256;
  // The decode speed is measured (and its speedup estimated) after this many tokens of context, over
  // kDecodeSteps steps: one short round, so it follows the plan as quickly as the perplexity does.
  static constexpr int64_t kDecodeContext = 64, kDecodeSteps = 16;

  explicit SessionController(QObject* parent = nullptr, Residency residency = Residency::Resident);
  widgets::JobManager* jobs() const { return jobs_; }
  bool running(Kind kind) const { return tracked_.count(kind) > 0; }
  // How many times model weights have been loaded (sessions made): a change of plan makes none.
  int models_loaded() const { return *models_loaded_; }
  // The bundled text the map is scored on and the held-out perplexity measured on (nullopt: not found).
  const std::optional<std::filesystem::path>& bundled_text() const { return bundled_text_; }

  // Where and in what precision jobs run from now on; false and `error` when this build or machine cannot.
  // Models already resident are loaded there (a job each).
  bool place(const QString& device, const QString& dtype, QString* error = nullptr);
  const QString& device() const { return device_; }
  const QString& dtype() const { return dtype_; }

  // Opens a model as a job titled `title`: make_checkpoint() on the worker, then its session (the weights
  // loaded once); `on.done` gets the checkpoint. `path` names it. The current model stays until the job
  // succeeds.
  void open(const QString& title, const QString& path, std::function<Checkpoint()> make_checkpoint,
            QObject* guard, Handlers<Checkpoint> on);
  bool has_model() const { return current_ != nullptr; }
  const QString& path() const;  // of the current model
  // Whether the current model's layers stream (it did not fit on the device); false while it loads.
  bool streamed() const;
  const Checkpoint& checkpoint() const;              // of the current model
  ModelSummary summary(const DropPlan& plan) const;  // in the precision jobs run in
  PlanImpact impact(const DropPlan& plan) const;     // estimated after decode_context() tokens
  int64_t decode_context() const;
  // The compare view's A is the current model (and keeps its session whatever is opened next).
  void take_current_as_compare_a() { compare_a_ = current_; }
  bool has_compare_a() const { return compare_a_ != nullptr; }

  void score(const ScoreJob& request, const QString& title, QObject* guard, Handlers<ImportanceScores> on);
  void select_iterative(const ScoreJob& request, const DropTarget& target, int64_t n,
                        const SelectionOptions& selection, const QString& title, QObject* guard,
                        Handlers<DropPlan> on);
  // The full model's values are measured once per session and remembered.
  void held_out_perplexity(const DropPlan& plan, const QString& title, QObject* guard,
                           Handlers<Perplexities> on);
  // The plan's decode speedup over the full model, measured interleaved (bench/speed.h's measure_speedup);
  // `so_far` gets the figure after each pair until it settles.
  void decode_speeds(const DropPlan& plan, const QString& title, QObject* guard,
                     Handlers<SpeedupMeasurement> on,
                     std::function<void(const SpeedupMeasurement&)> so_far = {});
  void measure_speed(const std::vector<DropPlan>& plans, const SpeedOptions& options, const QString& title,
                     QObject* guard, Handlers<std::vector<std::vector<SpeedResult>>> on);
  // A's held-out perplexity and greedy continuation of `prompt` with plan `a`, then B's (the current model).
  void compare(const DropPlan& a, const DropPlan& b, const std::string& prompt, const QString& title,
               QObject* guard, Handlers<Comparison> on);
  void evaluate(const DropPlan& plan, const EvalOptions& options, const QString& title, QObject* guard,
                Handlers<EvalResults> on);
  // The logit lens of `prompt` with the plan's drops: the top `k` after every attention and MLP.
  void logit_lens(const DropPlan& plan, const std::string& prompt, int64_t k, const QString& title,
                  QObject* guard, Handlers<LensView> on);
  // Heals the current checkpoint under request.drops (core/heal, on the jobs' device and precision) into
  // `out`, continuing a cancelled run's state when its settings match (heal_state_dir); measures the held-out
  // perplexity of the full model and of the plan first, and the merged checkpoint's after, as
  // held_out_perplexity measures them.
  void heal(const HealRequest& request, const std::filesystem::path& out, const QString& title,
            QObject* guard, Handlers<HealOutcome> on, std::function<void(const HealStep&)> on_step = {});
  // Writes the plan (or a pruned checkpoint) of the current checkpoint to `dir`; needs no model.
  void export_plan(const DropPlan& plan, const std::filesystem::path& dir, bool pruned,
                   const nlohmann::json& record, const QString& title, QObject* guard,
                   Handlers<std::filesystem::path> on);

 signals:
  void jobCancelled();  // a tracked job was cancelled (from the jobs panel)

 private:
  using SessionFuture = std::shared_future<std::shared_ptr<Session>>;
  // The held-out text as a model reads it, encoded once (by the first job that needs it) with the tokenizer
  // in the checkpoint's folder, and measured as the plan changes by a TextPerplexity, which re-runs only the
  // layers from the first one changed. The checkpoint is passed rather than taken from the session: a session
  // on random weights has no tokenizer, though its checkpoint may name a folder that holds one
  // (bench_toggle_latency --random-weights).
  class HeldOutText {
   public:
    // Under the model's current drops. `keep_states` false (LoadPerJob, a model per job): nothing is kept.
    double perplexity(const Checkpoint& checkpoint, const Model& model, const std::filesystem::path& text,
                      bool keep_states, JobContext& job);

   private:
    std::mutex mutex_;
    std::optional<TextPerplexity> measured_;
  };
  // A model resident on the jobs' device: its checkpoint, its session (loading or loaded), and what has been
  // measured of it in full (0: not yet).
  SessionOptions session_options() const;  // the device and precision chosen, streaming when needed
  struct Resident {
    QString path;
    Checkpoint checkpoint;
    SessionFuture session;
    std::shared_ptr<HeldOutText> held_out = std::make_shared<HeldOutText>();
    double full_perplexity = 0;
  };
  // What a job holds of a resident model, taken when it is submitted; get() runs on the worker.
  struct SessionRef {
    SessionFuture session;
    std::shared_ptr<HeldOutText> held_out;
    bool load_per_job;
    std::shared_ptr<std::atomic<int>> models_loaded;
    // The resident session once loaded (waiting cancellably), or with LoadPerJob one loaded with `plan`.
    std::shared_ptr<Session> get(const DropPlan& plan, JobContext& job) const;
    double perplexity(Session& session, const DropPlan& plan, const std::filesystem::path& text,
                      JobContext& job) const;
  };
  SessionRef ref(const Resident& resident) const;
  // Replaces `resident` by the same model loading on the jobs' device and precision, as a job.
  void reload(std::shared_ptr<Resident>& resident);
  // Starts `work` as the tracked job of `kind`, superseding the one before.
  template <class Result>
  void submit(Kind kind, const QString& title, std::function<Result(JobContext&)> work, QObject* guard,
              Handlers<Result> on);
  const std::filesystem::path& held_out_text() const;  // BadInput when the bundled text was not found

  widgets::JobManager* jobs_;
  const Residency residency_;
  std::map<Kind, int> tracked_;  // job ids
  std::shared_ptr<std::atomic<int>> models_loaded_ = std::make_shared<std::atomic<int>>(0);
  std::optional<std::filesystem::path> bundled_text_;
  QString device_ = QStringLiteral("cpu"), dtype_ = QStringLiteral("auto");
  std::shared_ptr<Resident> current_, compare_a_;
  int decode_generation_ = 0;  // decode_speeds calls: a superseded one's figures so far are not shown
};

}  // namespace llmdrop::workbench
