#include "lens_tab.h"

#include <QMainWindow>
#include <QStatusBar>

#include "lens_grid.h"
#include "plan_history.h"
#include "session_controller.h"

namespace llmdrop::workbench {

LensTab::LensTab(QMainWindow* window, SessionController* sessions, widgets::LensGrid* grid,
                 const PlanHistory* plans, std::function<void()> shown)
    : window_(window), sessions_(sessions), grid_(grid), plans_(plans), shown_(std::move(shown)) {}

void LensTab::show_lens() {
  if (!sessions_->has_model()) return grid_->show_message(tr("Open a model first."));
  if (grid_->prompt().trimmed().isEmpty()) return grid_->show_message(tr("Type a prompt first."));
  following_ = true;
  const QString label = PlanHistory::label(plans_->plan());
  grid_->set_running(true);
  window_->statusBar()->showMessage(tr("Computing the logit lens (%1)…").arg(label));
  sessions_->logit_lens(plans_->plan(), grid_->prompt().toStdString(), grid_->top_k(),
                        tr("Logit lens of %1").arg(sessions_->path()), grid_,
                        {[this, label](const LensView& view) {
                           grid_->set_running(false);
                           QStringList prompt;
                           for (const auto& token : view.prompt) prompt << QString::fromStdString(token);
                           grid_->show_lens(view.rows, prompt, [&view](int64_t id) {
                             return QString::fromStdString(view.token_text.at(id));
                           });
                           window_->statusBar()->showMessage(tr("Logit lens shown (%1)").arg(label));
                           if (shown_) shown_();
                         },
                         [this](const QString& error) {
                           grid_->set_running(false);
                           grid_->show_message(tr("Cannot compute the logit lens: %1").arg(error));
                         },
                         [this] { grid_->set_running(false); }});
}

void LensTab::follow_plan() {
  if (following_ && sessions_->has_model()) show_lens();
}

void LensTab::model_changed() {
  following_ = false;
  grid_->show_message(
      tr("Type a prompt and show what the model would predict after every attention and MLP."));
}

}  // namespace llmdrop::workbench
