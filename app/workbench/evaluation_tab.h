#pragma once
// The evaluation page: the ticked tasks run on the current model with its current drops, as a job on its
// session; every run adds a column.
#include <QCoreApplication>
#include <functional>

#include "eval/dataset.h"

class QMainWindow;

namespace llmdrop::widgets {
class EvalPanel;
}

namespace llmdrop::workbench {

class PlanHistory;
class SessionController;

class EvaluationTab {
  // Its strings were the main window's: they keep that translation context.
  Q_DECLARE_TR_FUNCTIONS(llmdrop::workbench::MainWindow)

 public:
  struct Events {
    std::function<void()> finished;
    std::function<void(const QString& message)> failed;
  };
  // `window`'s status bar reports.
  EvaluationTab(QMainWindow* window, SessionController* sessions, widgets::EvalPanel* panel,
                const PlanHistory* plans, Events events);
  void evaluate();
  DataSources data() const;  // where the tasks' data is: the panel's data folder

 private:
  QMainWindow* window_;
  SessionController* sessions_;
  widgets::EvalPanel* panel_;  // also the guard of the jobs' handlers
  const PlanHistory* plans_;
  Events events_;
};

}  // namespace llmdrop::workbench
