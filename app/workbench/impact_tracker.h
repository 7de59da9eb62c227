#pragma once
// The impact panel follows the drop plan: the estimate at once; the held-out perplexity and the measured
// decode speedup from jobs on the current model's session after a pause in editing (clicking through cells
// starts one job of each, not one per click).
#include <QCoreApplication>
#include <functional>

#include "checkpoint/drop_plan.h"

class QTimer;

namespace llmdrop::widgets {
class ImpactPanel;
}

namespace llmdrop::workbench {

class SessionController;

class ImpactTracker {
  // Its strings were the main window's: they keep that translation context.
  Q_DECLARE_TR_FUNCTIONS(llmdrop::workbench::MainWindow)

 public:
  // Called once the panel shows each measurement of the plan followed.
  struct Shown {
    std::function<void()> perplexity, decode_speed;
  };
  ImpactTracker(SessionController* sessions, widgets::ImpactPanel* panel, Shown shown);
  void follow(const DropPlan& plan);   // the estimate now, the measurements after a pause
  void measure(const DropPlan& plan);  // the measurements now (what a pause ends in)

 private:
  SessionController* sessions_;
  widgets::ImpactPanel* panel_;  // also the guard of the jobs' handlers
  Shown shown_;
  QTimer* pause_;
  DropPlan plan_;
};

}  // namespace llmdrop::workbench
