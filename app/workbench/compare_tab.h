#pragma once
// The compare page: A (a model and plan pinned; the current model in full until then) against B (the current
// model and plan), and a job measuring both on their sessions.
#include <QCoreApplication>
#include <functional>

#include "analysis/scores.h"

namespace llmdrop::widgets {
class CompareView;
}

namespace llmdrop::workbench {

class PlanHistory;
class SessionController;

class CompareTab {
  // Its strings were the main window's: they keep that translation context.
  Q_DECLARE_TR_FUNCTIONS(llmdrop::workbench::MainWindow)

 public:
  CompareTab(SessionController* sessions, widgets::CompareView* view, const PlanHistory* plans,
             std::function<void()> measured);
  // A model's map is shown: B is it, and until a plan is pinned, so is A in full (full vs. dropped at a
  // click).
  void show_model(const ImportanceScores& scores, Metric metric);
  void show_plan();                          // B follows the plan
  void pin(const ImportanceScores& scores);  // A: the current model and plan, from now on
  void measure();                            // as the view asks

 private:
  QString label(const DropPlan& plan) const;  // the model's folder name and the drops

  SessionController* sessions_;
  widgets::CompareView* view_;  // also the guard of the jobs' handlers
  const PlanHistory* plans_;
  std::function<void()> measured_;
  bool pinned_ = false;
};

}  // namespace llmdrop::workbench
