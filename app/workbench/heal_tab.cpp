#include "heal_tab.h"

#include <QFileDialog>
#include <QMainWindow>
#include <QStatusBar>
#include <optional>

#include "heal_panel.h"
#include "plan_history.h"
#include "session_controller.h"

namespace llmdrop::workbench {

HealTab::HealTab(QMainWindow* window, SessionController* sessions, widgets::HealPanel* panel,
                 const PlanHistory* plans, std::function<void()> healed)
    : window_(window), sessions_(sessions), panel_(panel), plans_(plans), healed_(std::move(healed)) {}

void HealTab::heal() {
  if (!sessions_->has_model()) return panel_->show_message(tr("Open a model first."));
  const DropPlan plan = plans_->plan();
  if (plan.empty()) return panel_->show_message(tr("Drop something first: healing follows a drop."));
  const widgets::HealPanel::Settings s = panel_->settings();
  if (s.data.isEmpty()) return panel_->show_message(tr("Choose the training text first."));
  if (s.out.isEmpty()) return panel_->show_message(tr("Choose a new output folder first."));
  HealRequest request;
  request.drops = plan;
  request.data = s.data.toStdString();
  request.steps = s.steps;
  request.batch_size = s.batch_size;
  request.seq_len = s.seq_len;
  request.rank = s.rank;
  request.alpha = s.alpha;
  request.lr = s.lr;
  const QString label = PlanHistory::label(plan);
  panel_->clear_curve();
  panel_->set_running(true);
  panel_->show_message(tr("Healing %1…").arg(label));
  sessions_->heal(
      request, s.out.toStdString(), tr("Healing %1").arg(label), panel_,
      {[this, label](const HealOutcome& o) {
         panel_->set_running(false);
         panel_->show_perplexities(o.before.full, o.before.with_drops, o.healed_perplexity);
         const QString resumed =
             o.result.resumed_at > 0 ? tr(" (resumed after step %1)").arg(o.result.resumed_at) : QString();
         panel_->show_message(tr("Healed %1%5: loss %2 → %3; wrote %4")
                                  .arg(label)
                                  .arg(o.result.steps.front().loss, 0, 'f', 3)
                                  .arg(o.result.steps.back().loss, 0, 'f', 3)
                                  .arg(QString::fromStdString(o.out.string()))
                                  .arg(resumed));
         window_->statusBar()->showMessage(tr("Healed %1").arg(label));
         if (healed_) healed_();
       },
       [this](const QString& error) {
         panel_->set_running(false);
         panel_->show_message(tr("Cannot heal: %1").arg(error));
       },
       [this] {
         panel_->set_running(false);
         panel_->show_message(tr("Healing cancelled: Heal with the same settings and folder continues it."));
       }},
      [this](const HealStep& step) { panel_->add_step(static_cast<int>(step.step), step.loss); });
}

void HealTab::browse_data() {
  const QString file = QFileDialog::getOpenFileName(window_, tr("Training text"), panel_->settings().data,
                                                    tr("Text (*.jsonl *.json *.txt);;All files (*)"));
  if (file.isEmpty()) return;
  widgets::HealPanel::Settings s = panel_->settings();
  s.data = file;
  panel_->set_settings(s);
}

void HealTab::browse_out() {
  const QString dir =
      QFileDialog::getSaveFileName(window_, tr("New folder for the healed model"), panel_->settings().out);
  if (dir.isEmpty()) return;
  widgets::HealPanel::Settings s = panel_->settings();
  s.out = dir;
  panel_->set_settings(s);
}

void HealTab::model_changed() {
  panel_->clear_curve();
  panel_->show_perplexities(std::nullopt, std::nullopt, std::nullopt);
  panel_->show_message({});
}

}  // namespace llmdrop::workbench
