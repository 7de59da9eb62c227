#include "main_window.h"

#include <QCloseEvent>
#include <QDockWidget>
#include <QTabWidget>
#include <QUndoStack>
#include <nlohmann/json.hpp>

#include "checkpoint/drop_plan.h"
#include "close_guard.h"
#include "compare_tab.h"
#include "compare_view.h"
#include "drop_control.h"
#include "eliding_status_bar.h"
#include "eval_panel.h"
#include "evaluation_tab.h"
#include "heal_panel.h"
#include "heal_tab.h"
#include "impact_panel.h"
#include "impact_tracker.h"
#include "importance_heatmap.h"
#include "importance_map.h"
#include "jobs_panel.h"
#include "lens_grid.h"
#include "lens_tab.h"
#include "messages.h"
#include "model_summary_widget.h"
#include "session_controller.h"
#include "speed_panel.h"
#include "speed_tab.h"
#include "util/atomic_file.h"
#include "window_layout.h"
#include "window_menus.h"

namespace llmdrop::workbench {

using Kind = SessionController::Kind;

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      sessions_(new SessionController(this)),
      summary_(new widgets::ModelSummaryWidget(this)),
      heatmap_(new widgets::ImportanceHeatmap(this)),
      eval_panel_(new widgets::EvalPanel(this)),
      impact_(new widgets::ImpactPanel(this)),
      drop_control_(new widgets::DropControl(this)),
      speed_panel_(new widgets::SpeedPanel(this)),
      compare_(new widgets::CompareView(this)),
      lens_(new widgets::LensGrid(this)),
      heal_panel_(new widgets::HealPanel(this)),
      tabs_(new QTabWidget(this)),
      plans_(this,
             [this](const DropPlan& plan) {
               // Undo and redo run from the Edit menu's slots: errors are reported here.
               report_errors(tr("Cannot change the plan"), [&] { apply_plan(plan); });
             }),
      map_(std::make_unique<ImportanceMap>(
          this, sessions_, heatmap_, drop_control_, &plans_,
          ImportanceMap::Events{[this] {
                                  compare_tab_->show_model(*map_->scores(), map_->metric());
                                  emit scoresReady();
                                },
                                [this] { compare_->set_scores(*map_->scores(), map_->metric()); },
                                [this](const QString& error) { emit scoreFailed(error); },
                                [this] { return evaluation_tab_->data(); }})),
      impact_tracker_(std::make_unique<ImpactTracker>(
          sessions_, impact_,
          ImpactTracker::Shown{[this] { emit impactUpdated(); }, [this] { emit decodeSpeedMeasured(); }})),
      compare_tab_(
          std::make_unique<CompareTab>(sessions_, compare_, &plans_, [this] { emit comparisonMeasured(); })),
      speed_tab_(
          std::make_unique<SpeedTab>(sessions_, speed_panel_, &plans_, [this] { emit speedMeasured(); })),
      evaluation_tab_(std::make_unique<EvaluationTab>(
          this, sessions_, eval_panel_, &plans_,
          EvaluationTab::Events{[this] { emit evaluationFinished(); },
                                [this](const QString& error) { emit evaluationFailed(error); }})),
      lens_tab_(std::make_unique<LensTab>(this, sessions_, lens_, &plans_, [this] { emit lensShown(); })),
      heal_tab_(
          std::make_unique<HealTab>(this, sessions_, heal_panel_, &plans_, [this] { emit healFinished(); })),
      close_guard_(std::make_unique<CloseGuard>(this)) {
  setWindowTitle(tr("LLM-Drop Workbench"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/llmdrop.svg")));
  setStatusBar(new ElidingStatusBar(this));
  WindowLayout::add_page(tabs_, eval_panel_, tr("Evaluation"));
  WindowLayout::add_page(tabs_, speed_panel_, tr("Speed"));
  WindowLayout::add_page(tabs_, compare_, tr("Compare"));
  WindowLayout::add_page(tabs_, lens_, tr("Lens"));
  WindowLayout::add_page(tabs_, heal_panel_, tr("Heal"));
  auto* jobs = new widgets::JobsPanel(sessions_->jobs(), this);
  WindowLayout::arrange(this, {summary_, impact_, drop_control_, heatmap_, jobs, tabs_});
  for (QWidget* shown_once_open : std::initializer_list<QWidget*>{impact_, drop_control_, heatmap_, tabs_})
    shown_once_open->hide();
  if (const QString dirs = qEnvironmentVariable("LLMDROP_DATA_DIR"); !dirs.isEmpty())
    eval_panel_->set_data_dir(dirs.split(':').first());
  connect(this, &MainWindow::modelOpened, tabs_, &QWidget::show);
  connect(drop_control_, &widgets::DropControl::metricChanged, this,
          guarded(tr("Cannot show the metric"), [this] { map_->choose_metric(); }));
  connect(drop_control_, &widgets::DropControl::addRequested, this,
          guarded(tr("Cannot drop"), [this] { map_->select_least_important(ImportanceMap::Edit::Add); }));
  connect(drop_control_, &widgets::DropControl::replaceRequested, this,
          guarded(tr("Cannot drop"), [this] { map_->select_least_important(ImportanceMap::Edit::Replace); }));
  connect(heatmap_, &widgets::ImportanceHeatmap::moduleToggled, this, [this](ModuleKind kind, qint64 layer) {
    report_errors(tr("Cannot change the plan"), [&] { plans_.toggle(kind, layer); });
  });
  connect(compare_, &widgets::CompareView::pinRequested, this, guarded(tr("Cannot pin the plan"), [this] {
            if (sessions_->has_model() && map_->scores() && !sessions_->running(Kind::Score))
              compare_tab_->pin(*map_->scores());
          }));
  connect(compare_, &widgets::CompareView::runRequested, this,
          guarded(tr("Cannot compare"), [this] { compare_tab_->measure(); }));
  connect(speed_panel_, &widgets::SpeedPanel::measureRequested, this,
          guarded(tr("Cannot measure the speed"), [this] { speed_tab_->measure(); }));
  connect(eval_panel_, &widgets::EvalPanel::evaluateRequested, this, &MainWindow::evaluate);
  connect(lens_, &widgets::LensGrid::lensRequested, this,
          guarded(tr("Cannot compute the logit lens"), [this] { lens_tab_->show_lens(); }));
  connect(heal_panel_, &widgets::HealPanel::healRequested, this,
          guarded(tr("Cannot heal"), [this] { heal_tab_->heal(); }));
  connect(heal_panel_, &widgets::HealPanel::browseDataRequested, this, [this] { heal_tab_->browse_data(); });
  connect(heal_panel_, &widgets::HealPanel::browseOutRequested, this, [this] { heal_tab_->browse_out(); });
  connect(sessions_, &SessionController::jobCancelled, this,
          [this] { statusBar()->showMessage(tr("Cancelled")); });
  WindowMenus::add(this, findChildren<QDockWidget*>());
  statusBar()->showMessage(tr("Open a Hugging Face model folder (File → Open model…)"));
  resize(WindowLayout::initial_size(this));
}

MainWindow::~MainWindow() = default;

void MainWindow::closeEvent(QCloseEvent* event) {
  if (!close_guard_->allow_close()) event->ignore();
}

QString MainWindow::report_errors(const QString& what, const std::function<void()>& action) {
  QString error;
  try {
    action();
    return {};
  } catch (const std::exception& e) {
    error = QString::fromStdString(e.what());
  } catch (...) {
  }
  if (error.isEmpty()) error = tr("unknown error");
  statusBar()->showMessage(tr("%1: %2").arg(what, error.simplified()));
  warn(this, what, error);
  return error;
}

void MainWindow::open_failed(const QString& what, const QString& error) {
  statusBar()->showMessage(tr("%1: %2").arg(what, error.simplified()));
  const QString message = tr("%1:\n%2").arg(what, error);
  emit openFailed(message);
  warn(this, what, message);
}

Project MainWindow::project() const {
  Project p;
  if (sessions_->has_model()) p.model_dir = sessions_->path().toStdString();
  p.plan = drop_plan();
  p.metric = map_->metric();
  if (map_->scores() && !sessions_->running(Kind::Score)) p.scores = *map_->scores();
  p.results = eval_panel_->results();
  return p;
}

bool MainWindow::save_project(const QString& path, QString* error) {
  try {
    const Project saved = project();
    // The model's folder is never written, whatever the file dialog was given.
    refuse_output_inside(path.toStdString(), saved.model_dir, "the model folder");
    llmdrop::save_project(saved, path.toStdString());
    close_guard_->mark_saved();
    statusBar()->showMessage(tr("Saved %1").arg(path));
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
}

void MainWindow::open_project(const QString& path) {
  if (sessions_->running(Kind::Open) || sessions_->running(Kind::Score)) return;
  QString error;
  try {
    pending_project_ = load_project(path.toStdString());
    open_model(QString::fromStdString(pending_project_->model_dir));
    return;
  } catch (const std::exception& e) {
    error = QString::fromStdString(e.what());
  } catch (...) {
    error = tr("unknown error");
  }
  pending_project_.reset();
  open_failed(tr("Cannot open project %1").arg(path), error);
}

void MainWindow::export_plan(const QString& dir, bool pruned) {
  if (const QString error = report_errors(tr("Export failed"), [&] { start_export(dir, pruned); });
      !error.isEmpty())
    emit exportFailed(error);
}

void MainWindow::start_export(const QString& dir, bool pruned) {
  if (!sessions_->has_model() || sessions_->running(Kind::Export)) return;
  const DropPlan& plan = drop_plan();
  nlohmann::json record = {{"tool", "llmdrop-workbench"}, {"source", sessions_->path().toStdString()}};
  record.update(drop_lists_json(plan));
  statusBar()->showMessage(tr("Exporting to %1…").arg(dir));
  sessions_->export_plan(plan, dir.toStdString(), pruned, record, tr("Export %1").arg(dir), this,
                         {[this, dir](const std::filesystem::path&) {
                            statusBar()->showMessage(tr("Exported to %1").arg(dir));
                            emit exportFinished(dir);
                          },
                          [this](const QString& error) {
                            statusBar()->showMessage(tr("Export failed"));
                            emit exportFailed(error);
                            warn(this, tr("Export failed"), error);
                          },
                          {}});
}

void MainWindow::open_model(const QString& path) {
  if (sessions_->running(Kind::Open) || sessions_->running(Kind::Score)) return;
  heatmap_->hide();
  statusBar()->showMessage(tr("Opening %1…").arg(path));
  // Reading the checkpoint and loading its weights is a job, off the UI thread. The model shown stays until
  // the new one is open: a failure leaves the window as it was.
  sessions_->open(tr("Open %1").arg(path), path, [p = path.toStdString()] { return Checkpoint::open(p); },
                  this,
                  {[this](const Checkpoint& checkpoint) { on_model_opened(checkpoint); },
                   [this, path](const QString& error) {
                     pending_project_.reset();  // it belonged to the model that did not open
                     heatmap_->setVisible(sessions_->has_model() && map_->scores());
                     open_failed(tr("Cannot open %1").arg(path), error);
                   },
                   {}});
}

ScoreJob MainWindow::default_score_request() const {
  return map_->default_request();
}

void MainWindow::on_model_opened(const Checkpoint& checkpoint) {
  const std::optional<Project> project = std::exchange(pending_project_, std::nullopt);
  lens_tab_->model_changed();
  heal_tab_->model_changed();
  const int64_t layers = checkpoint.config.num_layers;
  DropPlan plan = checkpoint.config.drops;
  std::optional<ImportanceScores> scores;
  Metric metric = map_->metric();
  if (project) {
    try {
      project->plan.validate(layers);
      plan = project->plan;
    } catch (const std::exception& e) {
      warn(this, tr("Project"), tr("The project's drop plan does not fit this model: %1").arg(e.what()));
    }
    metric = project->metric;
    // Saved scores (every list one value per layer) are reused when they are this model's depth; the map
    // falls back to a metric they have.
    if (project->scores && static_cast<int64_t>(project->scores->block.cosine.size()) == layers)
      scores = project->scores;
    for (const auto& column : project->results) eval_panel_->add_column(column);
  }
  plans_.reset(plan);
  if (project) close_guard_->mark_saved();
  summary_->show_summary(sessions_->summary(plan));
  impact_tracker_->follow(plan);
  statusBar()->showMessage(sessions_->streamed()
                               ? tr("Opened %1: it does not fit on %2, so its layers stream one at a time "
                                    "(slower)")
                                     .arg(sessions_->path(), sessions_->device())
                               : tr("Opened %1").arg(sessions_->path()));
  emit modelOpened(sessions_->path());
  map_->show_model(scores, metric);
}

bool MainWindow::set_device(const QString& device, QString* error) {
  return place_jobs(device, dtype(), error);
}

bool MainWindow::set_dtype(const QString& dtype, QString* error) {
  return place_jobs(device(), dtype, error);
}

bool MainWindow::place_jobs(const QString& device, const QString& dtype, QString* error) {
  if (!sessions_->place(device, dtype, error)) return false;
  if (sessions_->has_model() && !sessions_->running(Kind::Open)) {
    summary_->show_summary(sessions_->summary(drop_plan()));
    impact_tracker_->follow(drop_plan());
  }
  statusBar()->showMessage(tr("Jobs run on %1 in %2").arg(device, dtype));
  return true;
}

const QString& MainWindow::device() const {
  return sessions_->device();
}

const QString& MainWindow::dtype() const {
  return sessions_->dtype();
}

void MainWindow::show_tab(QWidget* page) {
  WindowLayout::show_page(tabs_, page);
}

void MainWindow::apply_plan(const DropPlan& plan) {
  heatmap_->set_plan(plan);
  compare_tab_->show_plan();
  emit planChanged();
  summary_->show_summary(sessions_->summary(plan));
  impact_tracker_->follow(plan);
  lens_tab_->follow_plan();
}

void MainWindow::evaluate() {
  if (const QString error = report_errors(tr("Cannot evaluate"), [this] { evaluation_tab_->evaluate(); });
      !error.isEmpty()) {
    eval_panel_->set_running(false);
    emit evaluationFailed(error);
  }
}

}  // namespace llmdrop::workbench
