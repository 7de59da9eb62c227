#pragma once
// The workbench's main window: open a model, see its summary and its importance map, click modules to drop
// them (undoable), evaluate the model with its current drops, export the plan, save and reopen the session as
// a project file. Layout and wiring: the models and the jobs on them are the SessionController's.
#include <QMainWindow>
#include <functional>
#include <memory>
#include <optional>

#include "analysis/scores.h"
#include "plan_history.h"
#include "project/project_file.h"
#include "session/jobs.h"

class QCloseEvent;
class QTabWidget;
class QUndoStack;

namespace llmdrop::widgets {
class CompareView;
class DropControl;
class EvalPanel;
class ImpactPanel;
class HealPanel;
class LensGrid;
class SpeedPanel;
class ImportanceHeatmap;
class ModelSummaryWidget;
}  // namespace llmdrop::widgets

namespace llmdrop::workbench {

class CloseGuard;
class CompareTab;
class EvaluationTab;
class HealTab;
class LensTab;
class ImpactTracker;
class ImportanceMap;
class SessionController;
class SpeedTab;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;
  widgets::EvalPanel* eval_panel() const { return eval_panel_; }
  widgets::ImportanceHeatmap* heatmap() const { return heatmap_; }
  widgets::ImpactPanel* impact_panel() const { return impact_; }
  widgets::DropControl* drop_control() const { return drop_control_; }
  widgets::SpeedPanel* speed_panel() const { return speed_panel_; }
  widgets::CompareView* compare_view() const { return compare_; }
  widgets::LensGrid* lens_view() const { return lens_; }
  widgets::HealPanel* heal_panel() const { return heal_panel_; }
  SessionController* sessions() const { return sessions_; }
  ImportanceMap* importance_map() const { return map_.get(); }
  void show_tab(QWidget* page);  // the evaluation, speed or compare page
  QTabWidget* pages() const { return tabs_; }
  // Changes no project file holds, and the question asked before closing with them (see CloseGuard).
  CloseGuard* close_guard() const { return close_guard_.get(); }
  // Where the model runs in every job from now on: "cpu" or "cuda:N" (false and `error` when this build or
  // machine has no such device).
  bool set_device(const QString& device, QString* error = nullptr);
  const QString& device() const;
  // The precision of every job from now on: "auto", "float32", "bfloat16" or "float16" (false and `error`
  // when the device cannot run it).
  bool set_dtype(const QString& dtype, QString* error = nullptr);
  const QString& dtype() const;
  QUndoStack* undo_stack() const { return plans_.undo_stack(); }

  // Opens the model in the background, then computes its default importance map; emits modelOpened or
  // openFailed, then scoresReady or scoreFailed. A model that does not open leaves the one shown as it was.
  void open_model(const QString& path);
  const DropPlan& drop_plan() const { return plans_.plan(); }
  // What the importance map is computed from: the bundled calibration text, the checkpoint's drops, and NLL
  // increases too when the map's metric is NLL-delta.
  ScoreJob default_score_request() const;
  // The session as a project; save_project writes it atomically (false and `error` when it cannot), and the
  // window then has no unsaved changes.
  Project project() const;
  bool save_project(const QString& path, QString* error = nullptr);
  // Opens the project's model, then restores its plan, its saved scores (no rescoring; the metric falls back
  // to one they have) and its results; emits modelOpened and scoresReady as open_model does, or openFailed.
  void open_project(const QString& path);
  // Writes the current plan as an LLM-Drop config folder (or a pruned checkpoint) to the new folder `dir`, as
  // a job; emits exportFinished or exportFailed. The model's own folder is never written.
  void export_plan(const QString& dir, bool pruned);
  // Runs the evaluation panel's tasks on the model with its current drops; emits evaluationFinished or
  // evaluationFailed (the panel's Evaluate button does the same).
  void evaluate();

  // Runs an action of the user's: what it throws (an exception leaving a Qt slot aborts the process) becomes
  // a message in the status bar and a non-modal box, and the window stays usable; returns that message (empty
  // when none). guarded() makes such an action a slot.
  QString report_errors(const QString& what, const std::function<void()>& action);
  template <typename Action>
  auto guarded(const QString& what, Action action) {
    return [this, what, action] { report_errors(what, action); };
  }

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
  void lensShown();
  void healFinished();  // a healing's loss curve and perplexities are shown
  void exportFinished(const QString& dir);
  void exportFailed(const QString& message);

 protected:
  void closeEvent(QCloseEvent* event) override;  // asks first when there are unsaved changes

 private:
  void open_failed(const QString& what, const QString& error);  // the message, and openFailed
  // Where and in what precision every job runs from now on; false and `error` when not possible.
  bool place_jobs(const QString& device, const QString& dtype, QString* error);
  void on_model_opened(const Checkpoint& checkpoint);
  void apply_plan(const DropPlan& plan);  // what an edit of the plan (or its undo) changes on screen
  void start_export(const QString& dir, bool pruned);

  SessionController* sessions_;
  widgets::ModelSummaryWidget* summary_;
  widgets::ImportanceHeatmap* heatmap_;
  widgets::EvalPanel* eval_panel_;
  widgets::ImpactPanel* impact_;
  widgets::DropControl* drop_control_;
  widgets::SpeedPanel* speed_panel_;
  widgets::CompareView* compare_;
  widgets::LensGrid* lens_;
  widgets::HealPanel* heal_panel_;
  QTabWidget* tabs_;
  PlanHistory plans_;
  std::unique_ptr<ImportanceMap> map_;
  std::unique_ptr<ImpactTracker> impact_tracker_;
  std::unique_ptr<CompareTab> compare_tab_;
  std::unique_ptr<SpeedTab> speed_tab_;
  std::unique_ptr<EvaluationTab> evaluation_tab_;
  std::unique_ptr<LensTab> lens_tab_;
  std::unique_ptr<HealTab> heal_tab_;
  std::unique_ptr<CloseGuard> close_guard_;
  std::optional<Project> pending_project_;  // restored once its model is open
};

}  // namespace llmdrop::workbench
