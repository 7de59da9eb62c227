#pragma once
// The importance map and its controls: the scores shown and the metric they are drawn in, the scoring job
// that computes them on the current model's session (again when a metric they lack is chosen), and "Drop N
// least important" (discrete and consecutive from the scores shown; iterative a job that re-scores after
// every drop), each drop one undoable edit of the plan.
#include <QCoreApplication>
#include <functional>
#include <optional>

#include "analysis/scores.h"
#include "session/jobs.h"

class QMainWindow;

namespace llmdrop::widgets {
class DropControl;
class ImportanceHeatmap;
}  // namespace llmdrop::widgets

namespace llmdrop::workbench {

class PlanHistory;
class SessionController;

class ImportanceMap {
  // Its strings were the main window's: they keep that translation context.
  Q_DECLARE_TR_FUNCTIONS(llmdrop::workbench::MainWindow)

 public:
  struct Events {
    std::function<void()> ready;                         // a model's map is shown
    std::function<void()> redrawn;                       // the map shows another metric of the same scores
    std::function<void(const QString& message)> failed;  // the scores could not be computed
  };
  // `window`'s status bar and message boxes report.
  ImportanceMap(QMainWindow* window, SessionController* sessions, widgets::ImportanceHeatmap* heatmap,
                widgets::DropControl* control, PlanHistory* plans, Events events);

  // What the map is computed from: the bundled calibration text, the checkpoint's drops, and NLL increases
  // too when the metric is NLL-delta.
  ScoreJob default_request() const;
  const std::optional<ImportanceScores>& scores() const { return scores_; }
  Metric metric() const { return metric_; }
  // A model opened: shows `scores` (a project's) in `metric`, or a metric they have; without scores, computes
  // them.
  void show_model(std::optional<ImportanceScores> scores, Metric metric);
  void choose_metric();         // the control's
  void drop_least_important();  // as the control asks

 private:
  void score();
  // The map keeps what it showed and the control says which metric; empty `error`: cancelled.
  void scoring_failed(const QString& error);
  void show();
  void status(const QString& message) const;

  QMainWindow* window_;
  SessionController* sessions_;
  widgets::ImportanceHeatmap* heatmap_;  // also the guard of the jobs' handlers
  widgets::DropControl* control_;
  PlanHistory* plans_;
  Events events_;
  std::optional<ImportanceScores> scores_;
  Metric metric_ = Metric::Cosine;
};

}  // namespace llmdrop::workbench
