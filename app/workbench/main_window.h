#pragma once
// The workbench's main window: open a model, see its summary and its importance map, click modules to drop
// them. (The full workbench grows from here.)
#include <QMainWindow>
#include <memory>

#include "analysis/scores.h"
#include "checkpoint/summary.h"

namespace llmdrop::widgets {
class ImportanceHeatmap;
class JobManager;
class ModelSummaryWidget;
}  // namespace llmdrop::widgets

namespace llmdrop::workbench {

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);

  // Opens the model in the background, then computes its default importance map; emits modelOpened or
  // openFailed, then scoresReady or scoreFailed.
  void open_model(const QString& path);
  const DropPlan& drop_plan() const { return plan_; }

 signals:
  void modelOpened(const QString& path);
  void openFailed(const QString& message);
  void scoresReady();
  void scoreFailed(const QString& message);

 private:
  void choose_model();
  void on_job_succeeded(int id);
  void on_job_failed(int id, const QString& message);
  void start_scoring();
  void toggle_module(ModuleKind kind, qint64 layer);

  struct Opened {
    Checkpoint checkpoint;
    ModelSummary summary;
  };
  widgets::JobManager* jobs_;
  widgets::ModelSummaryWidget* summary_;
  widgets::ImportanceHeatmap* heatmap_;
  int opening_job_ = 0;  // 0: none
  int scoring_job_ = 0;
  QString opening_path_;
  std::shared_ptr<Opened> opened_;            // filled by the open job
  std::shared_ptr<ImportanceScores> scores_;  // filled by the scoring job
  DropPlan plan_;
};

}  // namespace llmdrop::workbench
