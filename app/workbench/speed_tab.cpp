#include "speed_tab.h"

#include "plan_history.h"
#include "session_controller.h"
#include "speed_panel.h"

namespace llmdrop::workbench {

SpeedTab::SpeedTab(SessionController* sessions, widgets::SpeedPanel* panel, const PlanHistory* plans,
                   std::function<void()> measured)
    : sessions_(sessions), panel_(panel), plans_(plans), measured_(std::move(measured)) {}

void SpeedTab::measure() {
  if (!sessions_->has_model() || sessions_->running(SessionController::Kind::Speed)) return;
  QString error;
  const auto rounds = panel_->rounds(&error);
  if (!rounds) return panel_->show_message(error);
  SpeedOptions options;
  options.rounds = *rounds;
  // The full model once per set of rounds (the speedups' baseline), then the current plan.
  std::vector<DropPlan> plans;
  QStringList labels;
  if (!panel_->shows(tr("full"), *rounds)) {
    plans.push_back({});
    labels << tr("full");
  }
  const DropPlan& plan = plans_->plan();
  if (const QString label = PlanHistory::label(plan); !plan.empty() && !panel_->shows(label, *rounds)) {
    plans.push_back(plan);
    labels << label;
  }
  if (plans.empty()) return panel_->show_message(tr("Measured already: change the plan or the rounds"));
  panel_->set_running(true);
  sessions_->measure_speed(plans, options, tr("Speed of %1").arg(labels.join(QStringLiteral(" / "))), panel_,
                           {[this, labels](const std::vector<std::vector<SpeedResult>>& results) {
                              panel_->set_running(false);
                              panel_->add_results(labels, results);
                              if (measured_) measured_();
                            },
                            [this](const QString& error) {
                              panel_->set_running(false);
                              panel_->show_message(tr("Measurement failed: %1").arg(error));
                            },
                            [this] { panel_->set_running(false); }});
}

}  // namespace llmdrop::workbench
