#pragma once
// The speed page: LLM-Drop's rounds for the full model (once per set of rounds: the speedups' baseline) and
// the current plan, as one job on the current model's session.
#include <QCoreApplication>
#include <functional>

namespace llmdrop::widgets {
class SpeedPanel;
}

namespace llmdrop::workbench {

class PlanHistory;
class SessionController;

class SpeedTab {
  // Its strings were the main window's: they keep that translation context.
  Q_DECLARE_TR_FUNCTIONS(llmdrop::workbench::MainWindow)

 public:
  SpeedTab(SessionController* sessions, widgets::SpeedPanel* panel, const PlanHistory* plans,
           std::function<void()> measured);
  void measure();  // as the panel asks

 private:
  SessionController* sessions_;
  widgets::SpeedPanel* panel_;  // also the guard of the jobs' handlers
  const PlanHistory* plans_;
  std::function<void()> measured_;
};

}  // namespace llmdrop::workbench
