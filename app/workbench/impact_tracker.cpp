#include "impact_tracker.h"

#include <QTimer>

#include "impact_panel.h"
#include "plan_history.h"
#include "session_controller.h"

namespace llmdrop::workbench {

ImpactTracker::ImpactTracker(SessionController* sessions, widgets::ImpactPanel* panel, Shown shown)
    : sessions_(sessions), panel_(panel), shown_(std::move(shown)), pause_(new QTimer(panel)) {
  pause_->setSingleShot(true);
  pause_->setInterval(400);
  QObject::connect(pause_, &QTimer::timeout, panel, [this] { measure(plan_); });
}

void ImpactTracker::follow(const DropPlan& plan) {
  plan_ = plan;
  panel_->show_estimate(sessions_->impact(plan_));
  panel_->show_perplexity_pending();
  panel_->show_measured_pending();
  panel_->show();
  pause_->start();
}

void ImpactTracker::measure(const DropPlan& plan) {
  pause_->stop();
  if (!sessions_->has_model()) return;
  const QString label = PlanHistory::label(plan);
  if (sessions_->bundled_text()) {
    sessions_->held_out_perplexity(plan, tr("Held-out perplexity (%1)").arg(label), panel_,
                                   {[this](const Perplexities& measured) {
                                      panel_->show_perplexity(measured.with_drops, measured.full);
                                      if (shown_.perplexity) shown_.perplexity();
                                    },
                                    [this](const QString& error) { panel_->show_perplexity_failed(error); },
                                    {}});
  } else {
    panel_->show_perplexity_failed(tr("the bundled held-out text was not found"));
  }
  sessions_->decode_speeds(plan, tr("Decode speed (%1)").arg(label), panel_,
                           {[this, device = sessions_->device(),
                             context = sessions_->decode_context()](const SpeedupMeasurement& measured) {
                              panel_->show_measured(measured, device, context);
                              if (shown_.decode_speed) shown_.decode_speed();
                            },
                            [this](const QString& error) { panel_->show_measured_failed(error); },
                            {}},
                           [this, device = sessions_->device()](const SpeedupMeasurement& so_far) {
                             panel_->show_measured_so_far(so_far, device);
                           });
}

}  // namespace llmdrop::workbench
