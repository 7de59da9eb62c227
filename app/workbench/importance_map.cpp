#include "importance_map.h"

#include <QMainWindow>
#include <QSignalBlocker>
#include <QStatusBar>

#include "drop_control.h"
#include "importance_heatmap.h"
#include "messages.h"
#include "plan_history.h"
#include "session_controller.h"
#include "util/error.h"

namespace llmdrop::workbench {

namespace {

QString metric_name(Metric metric) {
  switch (metric) {
    case Metric::Angular:
      return QObject::tr("angular distance");
    case Metric::NllDelta:
      return QObject::tr("NLL increase");
    case Metric::Kl:
      return QObject::tr("KL divergence");
    case Metric::Js:
      return QObject::tr("JS divergence");
    case Metric::AngularLast:
      return QObject::tr("last-token angular distance");
    case Metric::Task:
      return QObject::tr("task NLL increase");
    case Metric::Cosine:
      break;
  }
  return QObject::tr("cosine similarity");
}

// NLL increases are measured only when asked for: scores may lack them, or have them for other tasks.
bool has_metric(const ImportanceScores& scores, Metric metric, const widgets::DropControl& control) {
  if (metric != Metric::Task) return widgets::ImportanceHeatmap::has_metric(scores, metric);
  const std::vector<std::string> wanted = control.tasks();
  if (wanted.size() != scores.tasks.size()) return false;
  for (size_t i = 0; i < wanted.size(); ++i)
    if (scores.tasks[i].task != wanted[i] || scores.tasks[i].limit != control.task_limit()) return false;
  return true;
}

}  // namespace

ImportanceMap::ImportanceMap(QMainWindow* window, SessionController* sessions,
                             widgets::ImportanceHeatmap* heatmap, widgets::DropControl* control,
                             PlanHistory* plans, Events events)
    : window_(window),
      sessions_(sessions),
      heatmap_(heatmap),
      control_(control),
      plans_(plans),
      events_(std::move(events)) {}

void ImportanceMap::status(const QString& message) const {
  window_->statusBar()->showMessage(message);
}

void ImportanceMap::set_calibration(Calibration calibration) {
  calibration_ = std::move(calibration);
  if (sessions_->has_model()) score();
}

QString ImportanceMap::calibration_text() const {
  const std::filesystem::path data =
      !calibration_.data.empty() ? calibration_.data : sessions_->bundled_text().value_or("");
  const int64_t seq_len =
      sessions_->has_model()
          ? std::min<int64_t>(calibration_.seq_len, sessions_->checkpoint().config.max_position_embeddings)
          : calibration_.seq_len;
  return tr("%1 × %2 tokens of %3")
      .arg(calibration_.samples)
      .arg(seq_len)
      .arg(QString::fromStdString(data.filename().string()));
}

// The map: the calibration's blocks (by default 16 of up to 256 tokens of the bundled text), LLM-Drop's
// similarities and the consecutive-block matrix (unless the layers stream), with the checkpoint's drops.
ScoreJob ImportanceMap::default_request() const {
  ScoreJob request;
  if (!calibration_.data.empty())
    request.data = calibration_.data;
  else if (const auto& text = sessions_->bundled_text())
    request.data = *text;
  const ModelConfig& config = sessions_->checkpoint().config;
  request.samples = calibration_.samples;
  request.seq_len = std::min<int64_t>(calibration_.seq_len, config.max_position_embeddings);
  request.drops = config.drops;
  request.options.batch_size = 4;
  request.options.consecutive = !sessions_->streamed();     // it needs every layer's states at once
  request.options.nll_delta = metric_ == Metric::NllDelta;  // a forward pass per module: only when shown
  request.options.divergence = metric_ == Metric::Kl || metric_ == Metric::Js;
  if (metric_ == Metric::Task) {
    request.tasks = control_->tasks();
    request.task_limit = control_->task_limit();
    if (events_.task_data) request.task_data = events_.task_data();
    request.task_batch_size = 4;
  }
  return request;
}

void ImportanceMap::show_model(std::optional<ImportanceScores> scores, Metric metric) {
  scores_ = std::move(scores);
  metric_ = metric;
  if (scores_)
    show();
  else
    score();
}

void ImportanceMap::choose_metric() {
  metric_ = control_->metric();
  // A running scoring job shows its map in the new metric.
  if (!scores_ || sessions_->running(SessionController::Kind::Score)) return;
  if (!has_metric(*scores_, metric_, *control_)) return score();
  heatmap_->set_scores(*scores_, metric_);
  if (events_.redrawn) events_.redrawn();
}

void ImportanceMap::score() {
  if (calibration_.data.empty() && !sessions_->bundled_text())
    return scoring_failed(tr("the bundled calibration text was not found"));
  status(tr("Computing the importance map on %1…").arg(calibration_text()));
  sessions_->score(default_request(), tr("Score %1").arg(sessions_->path()), heatmap_,
                   {[this](const ImportanceScores& scores) {
                      scores_ = scores;
                      if (!has_metric(scores, metric_, *control_))
                        return score();  // the metric changed meanwhile
                      show();
                    },
                    [this](const QString& error) { scoring_failed(error); }, [this] { scoring_failed({}); }});
}

void ImportanceMap::scoring_failed(const QString& error) {
  if (scores_ && heatmap_->isHidden()) {  // a model's first scores, then a job for a metric they lack
    show();
  } else if (scores_) {  // the map still shows these
    metric_ = heatmap_->metric();
    const QSignalBlocker quiet(control_);
    control_->set_metric(metric_);
  }
  if (error.isEmpty()) return;  // cancelled
  status(tr("Cannot compute the importance map: %1").arg(error));
  if (events_.failed) events_.failed(error);
}

void ImportanceMap::show() {
  const Metric wanted = metric_;
  heatmap_->set_scores(*scores_, metric_);
  metric_ = heatmap_->metric();  // scores without NLL increases show another metric: the control says which
  {
    const QSignalBlocker quiet(control_);
    control_->set_metric(metric_);
  }
  control_->set_layers(static_cast<int>(sessions_->checkpoint().config.num_layers));
  control_->show();
  heatmap_->set_plan(plans_->plan());
  heatmap_->show();
  if (metric_ != wanted)
    status(tr("These scores have no %1 values: the map shows %2 (choose %1 to measure it)")
               .arg(metric_name(wanted), metric_name(metric_)));
  else
    status(tr("Importance map of %1 on %2: click a cell to drop or restore that module")
               .arg(sessions_->path(), calibration_text()));
  heatmap_->setToolTip(tr("Scored on %1 (Edit → Calibration text…)").arg(calibration_text()));
  if (events_.ready) events_.ready();
}

void ImportanceMap::select_least_important(Edit edit) {
  using Kind = SessionController::Kind;
  if (!scores_ || sessions_->running(Kind::Score) || sessions_->running(Kind::Select)) return;
  const int n = control_->count();
  const QString target_name = control_->target(), strategy_name = control_->strategy();
  const QString text = (edit == Edit::Add ? tr("Add %1 least important (%2, %3, %4)")
                                          : tr("Replace the plan with the %1 least important (%2, %3, %4)"))
                           .arg(n)
                           .arg(target_name, strategy_name, QString::fromUtf8(to_string(metric_)));
  const DropPlan start = edit == Edit::Add ? plans_->plan() : DropPlan{};  // what the selection adds to
  auto cannot_drop = [this](const QString& error) {
    status(tr("Cannot drop: %1").arg(error));
    warn(window_, tr("Cannot drop"), error);
  };
  try {
    const DropTarget target = parse_drop_target(target_name.toStdString());
    SelectionOptions selection;
    selection.metric = metric_;
    if (metric_ == Metric::Task && strategy_name == "iterative")
      throw_bad_input(
          "iterative selection re-scores calibration text: choose discrete or consecutive to drop "
          "by a task's importance");
    if (strategy_name == "iterative") {
      ScoreJob request = default_request();
      request.drops = start;
      control_->set_busy(true);
      sessions_->select_iterative(request, target, n, selection, text, heatmap_,
                                  {[this, text](const DropPlan& plan) {
                                     control_->set_busy(false);
                                     plans_->push(plan, text);
                                   },
                                   [this, cannot_drop](const QString& error) {
                                     control_->set_busy(false);
                                     cannot_drop(error);
                                   },
                                   [this] { control_->set_busy(false); }});
      return;
    }
    // Rank what `start` has not dropped yet (by the first task's NLL increases for task importance).
    ImportanceScores from_here =
        metric_ == Metric::Task ? scores_->for_task(scores_->tasks.front().task) : *scores_;
    from_here.plan = start;
    if (strategy_name == "consecutive") {
      // The control does not offer it; a guard for callers that set the request directly.
      if (target_name != "block") throw_bad_input("consecutive selection drops whole blocks: choose blocks");
      plans_->push(select_consecutive(from_here, n, selection), text);
    } else {
      plans_->push(select_discrete(from_here, target, n, selection), text);
    }
  } catch (const std::exception& e) {
    cannot_drop(QString::fromStdString(e.what()));
  }
}

}  // namespace llmdrop::workbench
