#pragma once
// The logit lens page: the prompt's lens on the current model with the current plan, as a job on its session,
// computed again whenever the plan changes once a lens has been asked for.
#include <QCoreApplication>

class QMainWindow;

namespace llmdrop::widgets {
class LensGrid;
}

namespace llmdrop::workbench {

class PlanHistory;
class SessionController;

class LensTab {
  // Its strings were the main window's: they keep that translation context.
  Q_DECLARE_TR_FUNCTIONS(llmdrop::workbench::MainWindow)

 public:
  // `window`'s status bar reports; `shown` runs when a lens is on screen.
  LensTab(QMainWindow* window, SessionController* sessions, widgets::LensGrid* grid, const PlanHistory* plans,
          std::function<void()> shown);
  void show_lens();      // the grid's request
  void follow_plan();    // the plan changed: recompute a lens that is shown
  void model_changed();  // another model: the old lens no longer applies

 private:
  QMainWindow* window_;
  SessionController* sessions_;
  widgets::LensGrid* grid_;  // also the guard of the jobs' handlers
  const PlanHistory* plans_;
  std::function<void()> shown_;
  bool following_ = false;  // a lens was asked for on this model
};

}  // namespace llmdrop::workbench
