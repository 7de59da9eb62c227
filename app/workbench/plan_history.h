#pragma once
// The drop plan and its edits: every edit (a click on the map, a selection) is one undoable step, and every
// change of the plan (an edit, its undo or redo) goes through one `apply` callback, which shows it.
#include <QCoreApplication>
#include <QString>
#include <functional>

#include "analysis/scores.h"
#include "checkpoint/drop_plan.h"

class QObject;
class QUndoStack;

namespace llmdrop::workbench {

class PlanHistory {
  // Its strings were the main window's: they keep that translation context.
  Q_DECLARE_TR_FUNCTIONS(llmdrop::workbench::MainWindow)

 public:
  PlanHistory(QObject* parent, std::function<void(const DropPlan&)> apply);
  const DropPlan& plan() const { return plan_; }
  QUndoStack* undo_stack() const { return undo_; }
  void push(const DropPlan& after, const QString& text);
  void toggle(ModuleKind kind, int64_t layer);  // "Drop attention 3", "Restore MLP 2"
  void reset(const DropPlan& plan);             // a model opened: its plan, no history (not applied)
  // How the workbench names a plan: "full", "attn 3,5 · mlp 2 dropped".
  static QString label(const DropPlan& plan);

 private:
  QUndoStack* undo_;
  std::function<void(const DropPlan&)> apply_;
  DropPlan plan_;
};

}  // namespace llmdrop::workbench
