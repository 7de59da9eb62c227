#pragma once
// The workbench's main window: open a model, see its summary and its importance map, click modules to drop
// them, evaluate the model with its current drops. (The full workbench grows from here.)
#include <QMainWindow>
#include <memory>

#include "analysis/scores.h"
#include "checkpoint/summary.h"

namespace llmdrop {
struct EvalResults;
}

namespace llmdrop::widgets {
class EvalPanel;
class ImportanceHeatmap;
class JobManager;
class ModelSummaryWidget;
}  // namespace llmdrop::widgets

namespace llmdrop::workbench {

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  widgets::EvalPanel* eval_panel() const { return eval_panel_; }

  // Opens the model in the background, then computes its default importance map; emits modelOpened or
  // openFailed, then scoresReady or scoreFailed.
  void open_model(const QString& path);
  const DropPlan& drop_plan() const { return plan_; }
  // Runs the evaluation panel's tasks on the model with its current drops; emits evaluationFinished or
  // evaluationFailed (the panel's Evaluate button does the same).
  void evaluate();

 signals:
  void modelOpened(const QString& path);
  void openFailed(const QString& message);
  void scoresReady();
  void scoreFailed(const QString& message);
  void evaluationFinished();
  void evaluationFailed(const QString& message);

 private:
  void choose_model();
  void on_job_succeeded(int id);
  void on_job_failed(int id, const QString& message);
  void start_scoring();
  void toggle_module(ModuleKind kind, qint64 layer);
  QString drops_label() const;

  struct Opened {
    Checkpoint checkpoint;
    ModelSummary summary;
  };
  widgets::JobManager* jobs_;
  widgets::ModelSummaryWidget* summary_;
  widgets::ImportanceHeatmap* heatmap_;
  widgets::EvalPanel* eval_panel_;
  int opening_job_ = 0;  // 0: none
  int scoring_job_ = 0;
  int eval_job_ = 0;
  QString eval_label_;                         // the column the running evaluation fills
  std::shared_ptr<EvalResults> eval_results_;  // filled by the evaluation job
  QString opening_path_;
  std::shared_ptr<Opened> opened_;            // filled by the open job
  std::shared_ptr<ImportanceScores> scores_;  // filled by the scoring job
  DropPlan plan_;
};

}  // namespace llmdrop::workbench
