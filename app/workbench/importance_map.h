#pragma once
// The importance map and its controls: the scores shown and the metric they are drawn in, the scoring job
// that computes them on the current model's session (again when a metric they lack is chosen), and the N
// least important modules added to the plan or replacing it (discrete and consecutive from the scores shown;
// iterative a job that re-scores after every drop), each one undoable edit of the plan. The metric selector
// says what the map shows, except while a scoring job computes the metric it names.
#include <QCoreApplication>
#include <filesystem>
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
    std::function<DataSources()> task_data;              // where task importance finds the tasks' data
  };
  // `window`'s status bar and message boxes report.
  ImportanceMap(QMainWindow* window, SessionController* sessions, widgets::ImportanceHeatmap* heatmap,
                widgets::DropControl* control, PlanHistory* plans, Events events);

  // The text the map is scored on: `data` (the bundled text when empty) in `samples` blocks of `seq_len`
  // tokens (at most the model's context).
  struct Calibration {
    std::filesystem::path data;
    int64_t samples = 16;
    int64_t seq_len = 256;
  };
  const Calibration& calibration() const { return calibration_; }
  // Scores the current model again on `calibration` (kept for the models opened later).
  void set_calibration(Calibration calibration);
  // "16 × 256 tokens of demo_heldout.txt"
  QString calibration_text() const;

  // What the map is computed from: the calibration, the checkpoint's drops, and NLL increases too when the
  // metric is NLL-delta (on the control's tasks for task importance).
  ScoreJob default_request() const;
  const std::optional<ImportanceScores>& scores() const { return scores_; }
  Metric metric() const { return metric_; }
  // A model opened: shows `scores` (a project's) in `metric`, or a metric they have; without scores, computes
  // them.
  void show_model(std::optional<ImportanceScores> scores, Metric metric);
  void choose_metric();  // the control's
  // As the control asks: Add drops the N least important modules the plan keeps as well, Replace makes the
  // plan exactly the N least important.
  enum class Edit { Add, Replace };
  void select_least_important(Edit edit);

 private:
  void score();
  // The map shows the scores it has (those of the model's first map, if it showed none yet) and the control
  // says which metric; empty `error`: cancelled.
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
  Calibration calibration_;
};

}  // namespace llmdrop::workbench
