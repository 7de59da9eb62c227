#include "evaluation_tab.h"

#include <QMainWindow>
#include <QStatusBar>

#include "eval_panel.h"
#include "plan_history.h"
#include "session_controller.h"

namespace llmdrop::workbench {

EvaluationTab::EvaluationTab(QMainWindow* window, SessionController* sessions, widgets::EvalPanel* panel,
                             const PlanHistory* plans, Events events)
    : window_(window), sessions_(sessions), panel_(panel), plans_(plans), events_(std::move(events)) {}

DataSources EvaluationTab::data() const {
  DataSources data;
  if (!panel_->data_dir().isEmpty()) data.data_dirs.emplace_back(panel_->data_dir().toStdString());
  return data;
}

void EvaluationTab::evaluate() {
  using Kind = SessionController::Kind;
  if (sessions_->running(Kind::Evaluate) || sessions_->running(Kind::Open) || !sessions_->has_model()) return;
  EvalOptions options;
  for (const QString& task : panel_->selected_tasks()) options.tasks.push_back(task.toStdString());
  if (options.tasks.empty()) return panel_->show_message(tr("Tick at least one task."));
  options.data = data();
  options.limit = panel_->limit();
  options.batch_size = sessions_->device() == QLatin1String("cpu") ? 1 : 16;  // batches pay on a GPU only
  const QString label = PlanHistory::label(plans_->plan()), path = sessions_->path();
  panel_->set_running(true);
  window_->statusBar()->showMessage(tr("Evaluating %1 (%2)…").arg(path, label));
  sessions_->evaluate(plans_->plan(), options, tr("Evaluate %1").arg(path), panel_,
                      {[this, label, path](const EvalResults& results) {
                         panel_->set_running(false);
                         panel_->add_results(label, results);
                         window_->statusBar()->showMessage(tr("Evaluated %1 (%2)").arg(path, label));
                         if (events_.finished) events_.finished();
                       },
                       [this](const QString& error) {
                         panel_->set_running(false);
                         panel_->show_message(tr("Evaluation failed: %1").arg(error));
                         window_->statusBar()->showMessage(tr("Evaluation failed"));
                         if (events_.failed) events_.failed(error);
                       },
                       [this] { panel_->set_running(false); }});
}

}  // namespace llmdrop::workbench
