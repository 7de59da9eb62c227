#pragma once
// The healing page: LoRA fine-tuning of the current model under the current plan as a job, its loss curve
// drawn as the steps come in, and the held-out perplexity of the full model, the plan and the healed model.
#include <QCoreApplication>
#include <functional>

class QMainWindow;

namespace llmdrop::widgets {
class HealPanel;
}

namespace llmdrop::workbench {

class PlanHistory;
class SessionController;

class HealTab {
  // Its strings were the main window's: they keep that translation context.
  Q_DECLARE_TR_FUNCTIONS(llmdrop::workbench::MainWindow)

 public:
  // `healed` runs when a healing has finished and its figures are shown.
  HealTab(QMainWindow* window, SessionController* sessions, widgets::HealPanel* panel,
          const PlanHistory* plans, std::function<void()> healed);
  void heal();           // the panel's request
  void browse_data();    // a file dialog for the training text
  void browse_out();     // a folder dialog for the output
  void model_changed();  // another model: the old curve and figures no longer apply

 private:
  QMainWindow* window_;
  SessionController* sessions_;
  widgets::HealPanel* panel_;  // also the guard of the jobs' handlers
  const PlanHistory* plans_;
  std::function<void()> healed_;
};

}  // namespace llmdrop::workbench
