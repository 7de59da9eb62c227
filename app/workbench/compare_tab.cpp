#include "compare_tab.h"

#include <QFileInfo>

#include "compare_view.h"
#include "plan_history.h"
#include "session_controller.h"

namespace llmdrop::workbench {

CompareTab::CompareTab(SessionController* sessions, widgets::CompareView* view, const PlanHistory* plans,
                       std::function<void()> measured)
    : sessions_(sessions), view_(view), plans_(plans), measured_(std::move(measured)) {}

QString CompareTab::label(const DropPlan& plan) const {
  return tr("%1 · %2").arg(QFileInfo(sessions_->path()).fileName(), PlanHistory::label(plan));
}

void CompareTab::show_model(const ImportanceScores& scores, Metric metric) {
  if (!pinned_) {
    sessions_->take_current_as_compare_a();
    view_->set_plan_a(tr("%1 · full").arg(QFileInfo(sessions_->path()).fileName()), {}, sessions_->impact({}),
                      scores);
  }
  show_plan();
  view_->set_scores(scores, metric);
}

void CompareTab::show_plan() {
  view_->set_plan_b(label(plans_->plan()), plans_->plan(), sessions_->impact(plans_->plan()));
}

void CompareTab::pin(const ImportanceScores& scores) {
  sessions_->take_current_as_compare_a();
  pinned_ = true;
  view_->set_plan_a(label(plans_->plan()), plans_->plan(), sessions_->impact(plans_->plan()), scores);
}

void CompareTab::measure() {
  using Kind = SessionController::Kind;
  if (!sessions_->has_model() || sessions_->running(Kind::Compare)) return;
  if (!sessions_->has_compare_a()) return;  // no model has been shown yet
  if (!sessions_->bundled_text()) return view_->show_message(tr("the bundled held-out text was not found"));
  view_->set_running(true);
  sessions_->compare(view_->plan_a(), view_->plan_b(), view_->prompt().toStdString(), tr("Compare A and B"),
                     view_,
                     {[this](const Comparison& measured) {
                        view_->set_running(false);
                        view_->show_measurements(measured.perplexity_a, measured.perplexity_b,
                                                 QString::fromStdString(measured.text_a),
                                                 QString::fromStdString(measured.text_b));
                        if (measured_) measured_();
                      },
                      [this](const QString& error) {
                        view_->set_running(false);
                        view_->show_message(tr("Measurement failed: %1").arg(error));
                      },
                      [this] { view_->set_running(false); }});
}

}  // namespace llmdrop::workbench
