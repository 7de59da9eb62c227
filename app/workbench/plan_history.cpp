#include "plan_history.h"

#include <QObject>
#include <QStringList>
#include <QUndoStack>

namespace llmdrop::workbench {

namespace {

// One edit of the drop plan: redo applies `after`, undo `before`.
class PlanEdit : public QUndoCommand {
 public:
  PlanEdit(DropPlan before, DropPlan after, const QString& text, std::function<void(const DropPlan&)> apply)
      : QUndoCommand(text), before_(std::move(before)), after_(std::move(after)), apply_(std::move(apply)) {}
  void undo() override { apply_(before_); }
  void redo() override { apply_(after_); }

 private:
  DropPlan before_, after_;
  std::function<void(const DropPlan&)> apply_;
};

}  // namespace

PlanHistory::PlanHistory(QObject* parent, std::function<void(const DropPlan&)> apply)
    : undo_(new QUndoStack(parent)), apply_(std::move(apply)) {}

void PlanHistory::push(const DropPlan& after, const QString& text) {
  undo_->push(new PlanEdit(plan_, after, text, [this](const DropPlan& plan) {
    plan_ = plan;
    apply_(plan);
  }));
}

void PlanHistory::toggle(ModuleKind kind, int64_t layer) {
  const DropPlan after = toggled(plan_, kind, layer);
  const bool drops_more = after.attn.size() + after.mlp.size() > plan_.attn.size() + plan_.mlp.size();
  const QString module = kind == ModuleKind::Attn  ? QObject::tr("attention")
                         : kind == ModuleKind::Mlp ? QObject::tr("MLP")
                                                   : QObject::tr("block");
  push(after, (drops_more ? tr("Drop %1 %2") : tr("Restore %1 %2")).arg(module).arg(layer));
}

void PlanHistory::reset(const DropPlan& plan) {
  undo_->clear();
  plan_ = plan;
}

QString PlanHistory::label(const DropPlan& plan) {
  if (plan.empty()) return tr("full");
  QStringList parts;
  if (!plan.attn.empty()) parts << tr("attn %1").arg(QString::fromStdString(format_indices(plan.attn)));
  if (!plan.mlp.empty()) parts << tr("mlp %1").arg(QString::fromStdString(format_indices(plan.mlp)));
  return tr("%1 dropped").arg(parts.join(QStringLiteral(" · ")));
}

}  // namespace llmdrop::workbench
