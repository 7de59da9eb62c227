#pragma once
// The workbench's main window: open a model, see its summary and its importance map, click modules to drop
// them (undoable), evaluate the model with its current drops, export the plan, save and reopen the session as
// a project file.
#include <QMainWindow>
#include <memory>

#include "analysis/impact.h"
#include "analysis/score_checkpoint.h"
#include "analysis/scores.h"
#include "checkpoint/summary.h"
#include "job_manager.h"
#include "project/project_file.h"

class QTimer;
class QUndoStack;

namespace llmdrop::widgets {
class CompareView;
class DropControl;
class EvalPanel;
class ImpactPanel;
class SpeedPanel;
class ImportanceHeatmap;
class ModelSummaryWidget;
}  // namespace llmdrop::widgets

namespace llmdrop::workbench {

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  widgets::EvalPanel* eval_panel() const { return eval_panel_; }
  widgets::ImportanceHeatmap* heatmap() const { return heatmap_; }
  widgets::ImpactPanel* impact_panel() const { return impact_; }
  widgets::DropControl* drop_control() const { return drop_control_; }
  widgets::SpeedPanel* speed_panel() const { return speed_panel_; }
  widgets::CompareView* compare_view() const { return compare_; }
  void show_tab(QWidget* page);  // the evaluation, speed or compare page
  // Where the model runs in every job from now on: "cpu" or "cuda:N" (false and `error` when this build or
  // machine has no such device).
  bool set_device(const QString& device, QString* error = nullptr);
  const QString& device() const { return device_; }
  // The precision of every job from now on: "auto", "float32", "bfloat16" or "float16" (false and `error`
  // when the device cannot run it).
  bool set_dtype(const QString& dtype, QString* error = nullptr);
  const QString& dtype() const { return dtype_; }
  QUndoStack* undo_stack() const { return undo_; }

  // Opens the model in the background, then computes its default importance map; emits modelOpened or
  // openFailed, then scoresReady or scoreFailed.
  void open_model(const QString& path);
  const DropPlan& drop_plan() const { return plan_; }
  // What the importance map is computed from: the bundled calibration text, the checkpoint's drops, and NLL
  // increases too when the map's metric is NLL-delta.
  ScoreCheckpointRequest default_score_request() const;
  // The session as a project; save_project writes it atomically (false and `error` when it cannot).
  Project project() const;
  bool save_project(const QString& path, QString* error = nullptr);
  // Opens the project's model, then restores its plan, its saved scores (no rescoring) and its results;
  // emits modelOpened and scoresReady as open_model does, or openFailed.
  void open_project(const QString& path);
  // Writes the current plan as an LLM-Drop config folder (or a pruned checkpoint) to the new folder `dir`, as
  // a job; emits exportFinished or exportFailed. The model's own folder is never written.
  void export_plan(const QString& dir, bool pruned);
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
  void impactUpdated();        // the held-out perplexity of the current plan is shown
  void decodeSpeedMeasured();  // the measured decode speedup of the current plan is shown
  void planChanged();
  void speedMeasured();
  void comparisonMeasured();
  void exportFinished(const QString& dir);
  void exportFailed(const QString& message);

 private:
  void choose_model();
  // A menu of exclusive choices (devices, precisions): `choose` applies one or says why it cannot, and then
  // the check mark goes back to `current`.
  void add_choice_menu(const QString& title, const std::vector<std::string>& names,
                       const QString& (MainWindow::*current)() const,
                       bool (MainWindow::*choose)(const QString&, QString*));
  // Starts `work` as a job held in `slot` (0 when none of its kind runs); `handlers` run, on the UI thread,
  // only for the job the slot still holds: a superseded job ends quietly.
  void run_job(int& slot, const QString& title, widgets::JobManager::Work work,
               widgets::JobHandlers handlers);
  void on_model_opened();
  void start_scoring();
  void toggle_module(ModuleKind kind, qint64 layer);
  void apply_plan(const DropPlan& plan);  // what an edit of the plan (or its undo) changes on screen
  void update_impact();                   // the estimate now, the perplexity after a pause in editing
  void start_perplexity();
  void measure_decode_speedup();  // the full model (once) and the current plan, one short round
  void drop_least_important();    // as the drop control asks
  void measure_speed();           // the full model and the current plan, as the speed panel asks
  void measure_comparison();      // perplexity and generation of plans A and B, as the compare view asks
  PlanImpact impact_of(const DropPlan& plan) const;
  void push_plan(const DropPlan& after, const QString& text);
  void show_scores();
  void choose_project_to_open();
  void choose_project_to_save();
  void choose_export(bool pruned);
  QString drops_label() const;
  QString compare_label() const;      // the model's folder name and the drops
  std::string runtime_dtype() const;  // what dtype_ means for the open model on device_
  // Where and in what precision every job runs from now on; false and `error` when not possible.
  bool place_jobs(const QString& device, const QString& dtype, QString* error);

  struct Opened {
    Checkpoint checkpoint;
    ModelSummary summary;
  };
  widgets::JobManager* jobs_;
  widgets::ModelSummaryWidget* summary_;
  widgets::ImportanceHeatmap* heatmap_;
  widgets::EvalPanel* eval_panel_;
  widgets::ImpactPanel* impact_;
  widgets::DropControl* drop_control_;
  widgets::SpeedPanel* speed_panel_;
  widgets::CompareView* compare_;
  class QTabWidget* tabs_;
  int opening_job_ = 0;  // 0: none
  int scoring_job_ = 0;
  int eval_job_ = 0;
  int export_job_ = 0;
  int perplexity_job_ = 0;
  int decode_speed_job_ = 0;
  int selection_job_ = 0;
  int speed_job_ = 0;
  int compare_job_ = 0;
  double full_perplexity_ = 0;    // 0: not measured yet for this model
  double full_decode_speed_ = 0;  // tokens/s; 0: not measured yet for this model and device
  QTimer* impact_timer_;
  QUndoStack* undo_;
  std::shared_ptr<Project> pending_project_;  // restored once its model is open
  QString opening_path_;
  std::shared_ptr<Opened> opened_;            // filled by the open job
  std::shared_ptr<const Opened> compare_a_;   // the compare view's A: the model pinned, or the current one
  bool compare_a_pinned_ = false;             // false: A is the current model in full
  std::shared_ptr<ImportanceScores> scores_;  // filled by the scoring job
  DropPlan plan_;
  Metric metric_ = Metric::Cosine;
  QString device_ = QStringLiteral("cpu");
  QString dtype_ = QStringLiteral("auto");
};

}  // namespace llmdrop::workbench
