#include "main_window.h"

#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>
#include <functional>
#include <nlohmann/json.hpp>

#include "analysis/impact.h"
#include "analysis/score_checkpoint.h"
#include "checkpoint/checkpoint.h"
#include "checkpoint/default_model.h"
#include "compare_view.h"
#include "drop_control.h"
#include "eval/evaluator.h"
#include "eval/perplexity.h"
#include "eval_panel.h"
#include "export/exporter.h"
#include "impact_panel.h"
#include "importance_heatmap.h"
#include "job_manager.h"
#include "jobs_panel.h"
#include "model/device_list.h"
#include "model/generation.h"
#include "model_summary_widget.h"
#include "speed_panel.h"
#include "util/error.h"

namespace llmdrop::workbench {

namespace {

// NLL increases are measured only when asked for: scores may lack them.
bool has_metric(const ImportanceScores& scores, Metric metric) {
  return metric != Metric::NllDelta || !scores.block.nll_delta.empty();
}

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

QString module_name(ModuleKind kind) {
  switch (kind) {
    case ModuleKind::Attn:
      return QObject::tr("attention");
    case ModuleKind::Mlp:
      return QObject::tr("MLP");
    case ModuleKind::Block:
      break;
  }
  return QObject::tr("block");
}

// A non-modal warning: the window stays usable (and tests never wait on a dialog).
void warn(QWidget* parent, const QString& title, const QString& message) {
  auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, parent);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      jobs_(new widgets::JobManager(this)),
      summary_(new widgets::ModelSummaryWidget(this)),
      heatmap_(new widgets::ImportanceHeatmap(this)),
      eval_panel_(new widgets::EvalPanel(this)),
      impact_(new widgets::ImpactPanel(this)),
      drop_control_(new widgets::DropControl(this)),
      speed_panel_(new widgets::SpeedPanel(this)),
      compare_(new widgets::CompareView(this)),
      tabs_(new QTabWidget(this)),
      undo_(new QUndoStack(this)),
      impact_timer_(new QTimer(this)) {
  setWindowTitle(tr("LLM-Drop Workbench"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/llmdrop.svg")));
  auto* central = new QWidget(this);
  auto* layout = new QVBoxLayout(central);
  auto* top = new QHBoxLayout;
  top->addWidget(summary_, 3);
  top->addWidget(impact_, 2);
  impact_->hide();
  layout->addLayout(top);
  // Perplexity waits for a pause in editing: clicking through cells starts one job, not one per click.
  impact_timer_->setSingleShot(true);
  impact_timer_->setInterval(400);
  connect(impact_timer_, &QTimer::timeout, this, &MainWindow::start_perplexity);
  connect(impact_timer_, &QTimer::timeout, this, &MainWindow::measure_decode_speedup);
  layout->addWidget(drop_control_);
  drop_control_->hide();
  layout->addWidget(heatmap_, 1);
  connect(drop_control_, &widgets::DropControl::metricChanged, this, [this] {
    metric_ = drop_control_->metric();
    if (!scores_ || scoring_job_) return;  // a running scoring job shows its map in the new metric
    if (!has_metric(*scores_, metric_)) return start_scoring();
    heatmap_->set_scores(*scores_, metric_);
    compare_->set_scores(*scores_, metric_);
  });
  connect(drop_control_, &widgets::DropControl::dropRequested, this, &MainWindow::drop_least_important);
  heatmap_->setMinimumHeight(220);
  heatmap_->hide();
  tabs_->addTab(eval_panel_, tr("Evaluation"));
  tabs_->addTab(speed_panel_, tr("Speed"));
  tabs_->addTab(compare_, tr("Compare"));
  layout->addWidget(tabs_);
  tabs_->hide();
  connect(this, &MainWindow::modelOpened, tabs_, &QWidget::show);
  connect(compare_, &widgets::CompareView::pinRequested, this, [this] {
    if (!opened_ || !scores_ || scoring_job_) return;
    compare_a_ = opened_;
    compare_a_pinned_ = true;
    compare_->set_plan_a(compare_label(), plan_, impact_of(plan_), *scores_);
  });
  connect(compare_, &widgets::CompareView::runRequested, this, &MainWindow::measure_comparison);
  connect(speed_panel_, &widgets::SpeedPanel::measureRequested, this, &MainWindow::measure_speed);
  if (const QString dirs = qEnvironmentVariable("LLMDROP_DATA_DIR"); !dirs.isEmpty())
    eval_panel_->set_data_dir(dirs.split(':').first());
  setCentralWidget(central);
  connect(eval_panel_, &widgets::EvalPanel::evaluateRequested, this, &MainWindow::evaluate);
  connect(heatmap_, &widgets::ImportanceHeatmap::moduleToggled, this, &MainWindow::toggle_module);
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Open model…"), QKeySequence::Open, this, &MainWindow::choose_model);
  file->addAction(tr("Open &project…"), this, &MainWindow::choose_project_to_open);
  file->addAction(tr("&Save project…"), QKeySequence::Save, this, &MainWindow::choose_project_to_save);
  file->addSeparator();
  file->addAction(tr("&Export drop plan (config.json)…"), this, [this] { choose_export(false); });
  file->addAction(tr("Export &pruned checkpoint…"), this, [this] { choose_export(true); });
  // Every plot exports the same way (widgets/plots.h).
  using SavePlot = std::function<bool(const QString& path, QString* error)>;
  const std::pair<QString, SavePlot> plots[] = {
      {tr("importance map"),
       [this](const QString& path, QString* error) { return heatmap_->save(path, error); }},
      {tr("decode-speed plot"),
       [this](const QString& path, QString* error) {
         return speed_panel_->save(widgets::SpeedPanel::Plot::decode_speed, path, error);
       }},
      {tr("KV-cache plot"),
       [this](const QString& path, QString* error) {
         return speed_panel_->save(widgets::SpeedPanel::Plot::kv_cache, path, error);
       }},
      {tr("evaluation chart"),
       [this](const QString& path, QString* error) { return eval_panel_->save_chart(path, error); }},
  };
  for (const auto& [label, save] : plots)
    file->addAction(tr("Export the %1 as an image…").arg(label), this, [this, label = label, save = save] {
      const QString file = QFileDialog::getSaveFileName(this, tr("Export the %1").arg(label), {},
                                                        tr("Images (*.png *.pdf *.svg)"));
      QString error;
      if (!file.isEmpty() && !save(file, &error)) warn(this, tr("Cannot export the %1").arg(label), error);
    });
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  QAction* undo = undo_->createUndoAction(this, tr("&Undo"));
  undo->setShortcut(QKeySequence::Undo);
  QAction* redo = undo_->createRedoAction(this, tr("&Redo"));
  redo->setShortcut(QKeySequence::Redo);
  edit->addActions({undo, redo});
  auto* jobs_dock = new QDockWidget(tr("Jobs"), this);
  jobs_dock->setObjectName(QStringLiteral("jobs"));
  jobs_dock->setWidget(new widgets::JobsPanel(jobs_, jobs_dock));
  addDockWidget(Qt::BottomDockWidgetArea, jobs_dock);
  add_choice_menu(tr("&Device"), available_devices(), &MainWindow::device, &MainWindow::set_device);
  add_choice_menu(tr("&Precision"), dtype_names(), &MainWindow::dtype, &MainWindow::set_dtype);
  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addAction(jobs_dock->toggleViewAction());
  statusBar()->showMessage(tr("Open a Hugging Face model folder (File → Open model…)"));
  resize(960, 720);
}

void MainWindow::add_choice_menu(const QString& title, const std::vector<std::string>& names,
                                 const QString& (MainWindow::*current)() const,
                                 bool (MainWindow::*choose)(const QString&, QString*)) {
  QMenu* menu = menuBar()->addMenu(title);
  auto* group = new QActionGroup(menu);
  for (const std::string& name : names) {
    QAction* action = menu->addAction(QString::fromStdString(name));
    action->setCheckable(true);
    action->setChecked(action->text() == (this->*current)());
    group->addAction(action);
    connect(action, &QAction::triggered, this, [this, action, group, current, choose] {
      QString error;
      if ((this->*choose)(action->text(), &error)) return;
      warn(this, tr("Cannot use %1").arg(action->text()), error);
      for (QAction* other : group->actions()) other->setChecked(other->text() == (this->*current)());
    });
  }
}

void MainWindow::choose_model() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a model folder"));
  if (!dir.isEmpty()) open_model(dir);
}

void MainWindow::choose_project_to_open() {
  const QString file = QFileDialog::getOpenFileName(this, tr("Open a project"), {},
                                                    tr("LLM-Drop projects (*.llmdrop.json *.json)"));
  if (!file.isEmpty()) open_project(file);
}

void MainWindow::choose_project_to_save() {
  if (!opened_) return;
  const QString file = QFileDialog::getSaveFileName(this, tr("Save the project"), {},
                                                    tr("LLM-Drop projects (*.llmdrop.json)"));
  QString error;
  if (!file.isEmpty() && !save_project(file, &error)) warn(this, tr("Cannot save the project"), error);
}

void MainWindow::choose_export(bool pruned) {
  if (!opened_) return;
  const QString dir =
      QFileDialog::getSaveFileName(this, pruned ? tr("Export a pruned checkpoint to a new folder")
                                                : tr("Export the drop plan to a new folder"));
  if (!dir.isEmpty()) export_plan(dir, pruned);
}

Project MainWindow::project() const {
  Project p;
  p.model_dir = opening_path_.toStdString();
  p.plan = plan_;
  p.metric = metric_;
  if (scores_ && !scoring_job_) p.scores = *scores_;
  p.results = eval_panel_->results();
  return p;
}

bool MainWindow::save_project(const QString& path, QString* error) {
  try {
    llmdrop::save_project(project(), path.toStdString());
    statusBar()->showMessage(tr("Saved %1").arg(path));
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
}

void MainWindow::open_project(const QString& path) {
  if (opening_job_ || scoring_job_) return;
  try {
    pending_project_ = std::make_shared<Project>(load_project(path.toStdString()));
  } catch (const std::exception& e) {
    const QString message = tr("Cannot open project %1:\n%2").arg(path, QString::fromStdString(e.what()));
    emit openFailed(message);
    warn(this, tr("Cannot open project"), message);
    return;
  }
  open_model(QString::fromStdString(pending_project_->model_dir));
}

void MainWindow::export_plan(const QString& dir, bool pruned) {
  if (!opened_ || export_job_) return;
  nlohmann::json record = {{"tool", "llmdrop-workbench"},
                           {"source", opening_path_.toStdString()},
                           {"drop_attn_list", std::vector<int64_t>(plan_.attn.begin(), plan_.attn.end())},
                           {"drop_mlp_list", std::vector<int64_t>(plan_.mlp.begin(), plan_.mlp.end())}};
  statusBar()->showMessage(tr("Exporting to %1…").arg(dir));
  run_job(export_job_, tr("Export %1").arg(dir),
          [checkpoint = opened_->checkpoint, plan = plan_, pruned, out = dir.toStdString(),
           record](JobContext& job) {
            if (pruned)
              export_pruned(checkpoint, plan, out, record, job);
            else
              export_drop_config(checkpoint, plan, out, record);
          },
          {[this, dir] {
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
  if (opening_job_ || scoring_job_) return;
  opening_path_ = path;
  opened_ = std::make_shared<Opened>();
  heatmap_->hide();
  statusBar()->showMessage(tr("Opening %1…").arg(path));
  // Reading and validating the checkpoint touches every file header: a job, off the UI thread.
  run_job(opening_job_, tr("Open %1").arg(path),
          [p = path.toStdString(), out = opened_](JobContext&) {
            out->checkpoint = Checkpoint::open(p);
            out->summary = summarize(out->checkpoint);
          },
          {[this] { on_model_opened(); },
           [this](const QString& error) {
             pending_project_.reset();  // it belonged to the model that did not open
             const QString message = tr("Cannot open %1:\n%2").arg(opening_path_, error);
             statusBar()->showMessage(tr("Cannot open %1").arg(opening_path_));
             emit openFailed(message);
             warn(this, tr("Cannot open model"), message);
           },
           {}});
}

// The default map: 16 blocks of up to 256 tokens of the bundled text, LLM-Drop's similarities and the
// consecutive-block matrix, with the checkpoint's drops.
ScoreCheckpointRequest MainWindow::default_score_request() const {
  ScoreCheckpointRequest request;
  if (const auto text = find_default_calibration(QCoreApplication::applicationDirPath().toStdString()))
    request.data = *text;
  request.seq_len = std::min<int64_t>(256, opened_->checkpoint.config.max_position_embeddings);
  request.drops = opened_->checkpoint.config.drops;
  request.device = device_.toStdString();
  request.dtype = dtype_.toStdString();
  request.options.batch_size = 4;
  request.options.consecutive = true;
  request.options.nll_delta = metric_ == Metric::NllDelta;  // a forward pass per module: only when shown
  return request;
}

void MainWindow::start_scoring() {
  const auto calibration = find_default_calibration(QCoreApplication::applicationDirPath().toStdString());
  if (!calibration) {
    emit scoreFailed(tr("the bundled calibration text was not found"));
    return;
  }
  ScoreCheckpointRequest request = default_score_request();
  request.data = *calibration;
  scores_ = std::make_shared<ImportanceScores>();
  statusBar()->showMessage(tr("Computing the importance map…"));
  run_job(scoring_job_, tr("Score %1").arg(opening_path_),
          [checkpoint = opened_->checkpoint, request, out = scores_](JobContext& job) {
            *out = score_checkpoint(checkpoint, request, job);
          },
          {[this] { show_scores(); },
           [this](const QString& error) {
             statusBar()->showMessage(tr("Cannot compute the importance map: %1").arg(error));
             emit scoreFailed(error);
           },
           {}});
}

void MainWindow::on_model_opened() {
  undo_->clear();
  const std::shared_ptr<Project> project = std::exchange(pending_project_, nullptr);
  const int64_t layers = opened_->checkpoint.config.num_layers;
  plan_ = opened_->checkpoint.config.drops;
  scores_.reset();
  if (project) {
    try {
      project->plan.validate(layers);
      plan_ = project->plan;
    } catch (const std::exception& e) {
      warn(this, tr("Project"), tr("The project's drop plan does not fit this model: %1").arg(e.what()));
    }
    metric_ = project->metric;
    if (project->scores && static_cast<int64_t>(project->scores->block.similarity(metric_).size()) == layers)
      scores_ = std::make_shared<ImportanceScores>(*project->scores);
    for (const auto& column : project->results) eval_panel_->add_column(column);
  }
  summary_->show_summary(summarize(opened_->checkpoint, plan_, runtime_dtype()));
  full_perplexity_ = 0;
  full_decode_speed_ = 0;
  update_impact();
  statusBar()->showMessage(tr("Opened %1").arg(opening_path_));
  emit modelOpened(opening_path_);
  if (scores_)
    show_scores();
  else
    start_scoring();
}

void MainWindow::show_scores() {
  if (!has_metric(*scores_, metric_)) return start_scoring();  // the metric changed while these were computed
  drop_control_->set_metric(metric_);
  drop_control_->set_layers(static_cast<int>(opened_->checkpoint.config.num_layers));
  drop_control_->show();
  heatmap_->set_scores(*scores_, metric_);
  heatmap_->set_plan(plan_);
  heatmap_->show();
  if (!compare_a_pinned_) {  // until a plan is pinned, A is this model in full: full vs. dropped at a click
    compare_a_ = opened_;
    compare_->set_plan_a(tr("%1 · full").arg(QFileInfo(opening_path_).fileName()), {}, impact_of({}),
                         *scores_);
  }
  compare_->set_plan_b(compare_label(), plan_, impact_of(plan_));
  compare_->set_scores(*scores_, metric_);
  statusBar()->showMessage(
      tr("Importance map of %1: click a cell to drop or restore that module").arg(opening_path_));
  emit scoresReady();
}

void MainWindow::toggle_module(ModuleKind kind, qint64 layer) {
  const DropPlan after = toggled(plan_, kind, layer);
  const bool drops_more = after.attn.size() + after.mlp.size() > plan_.attn.size() + plan_.mlp.size();
  push_plan(after, (drops_more ? tr("Drop %1 %2") : tr("Restore %1 %2")).arg(module_name(kind)).arg(layer));
}

void MainWindow::push_plan(const DropPlan& after, const QString& text) {
  undo_->push(new PlanEdit(plan_, after, text, [this](const DropPlan& plan) { apply_plan(plan); }));
}

bool MainWindow::set_device(const QString& device, QString* error) {
  return place_jobs(device, dtype_, error);
}

bool MainWindow::set_dtype(const QString& dtype, QString* error) {
  return place_jobs(device_, dtype, error);
}

bool MainWindow::place_jobs(const QString& device, const QString& dtype, QString* error) {
  try {
    check_device(device.toStdString());
    check_dtype(device.toStdString(), dtype.toStdString());
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  device_ = device;
  dtype_ = dtype;
  full_perplexity_ = 0;  // measured on the old device or in the old precision
  full_decode_speed_ = 0;
  if (opened_ && !opening_job_) {
    summary_->show_summary(summarize(opened_->checkpoint, plan_, runtime_dtype()));
    update_impact();
  }
  statusBar()->showMessage(tr("Jobs run on %1 in %2").arg(device_, dtype_));
  return true;
}

std::string MainWindow::runtime_dtype() const {
  return resolve_dtype(device_.toStdString(), dtype_.toStdString(), opened_->checkpoint.config);
}

void MainWindow::show_tab(QWidget* page) {
  tabs_->setCurrentWidget(page);
}

PlanImpact MainWindow::impact_of(const DropPlan& plan) const {
  const ModelSummary summary = summarize(opened_->checkpoint, plan, runtime_dtype());
  return estimate_impact(summary, std::min<int64_t>(2048, summary.max_position_embeddings));
}

void MainWindow::measure_comparison() {
  if (!opened_ || compare_job_) return;
  if (!compare_a_) return;  // no model has been shown yet
  const auto text = find_default_calibration(QCoreApplication::applicationDirPath().toStdString());
  if (!text) {
    compare_->show_message(tr("the bundled held-out text was not found"));
    return;
  }
  struct Comparison {
    double perplexity_a = 0, perplexity_b = 0;
    std::string text_a, text_b;
  };
  const auto out = std::make_shared<Comparison>();
  compare_->set_running(true);
  run_job(
      compare_job_, tr("Compare A and B"),
      [checkpoint_a = compare_a_->checkpoint, checkpoint_b = opened_->checkpoint,
       device = device_.toStdString(), dtype = dtype_.toStdString(), a = compare_->plan_a(),
       b = compare_->plan_b(), prompt = compare_->prompt().toStdString(), text = *text,
       out](JobContext& job) {
        out->perplexity_a = checkpoint_perplexity(checkpoint_a, a, device, dtype, text, 2048, 256, job).ppl;
        out->perplexity_b = checkpoint_perplexity(checkpoint_b, b, device, dtype, text, 2048, 256, job).ppl;
        out->text_a = generate_text(checkpoint_a, a, device, dtype, prompt, 32, job);
        out->text_b = generate_text(checkpoint_b, b, device, dtype, prompt, 32, job);
      },
      {[this, out] {
         compare_->set_running(false);
         compare_->show_measurements(out->perplexity_a, out->perplexity_b,
                                     QString::fromStdString(out->text_a),
                                     QString::fromStdString(out->text_b));
         emit comparisonMeasured();
       },
       [this](const QString& error) {
         compare_->set_running(false);
         compare_->show_message(tr("Measurement failed: %1").arg(error));
       },
       [this] { compare_->set_running(false); }});
}

void MainWindow::measure_speed() {
  if (!opened_ || speed_job_) return;
  QString error;
  const auto rounds = speed_panel_->rounds(&error);
  if (!rounds) {
    speed_panel_->show_message(error);
    return;
  }
  SpeedOptions options;
  options.rounds = *rounds;
  // The full model once per set of rounds (the speedups' baseline), then the current plan.
  std::vector<DropPlan> plans;
  QStringList labels;
  if (!speed_panel_->shows(tr("full"), *rounds)) {
    plans.push_back({});
    labels << tr("full");
  }
  if (!plan_.empty() && !speed_panel_->shows(drops_label(), *rounds)) {
    plans.push_back(plan_);
    labels << drops_label();
  }
  if (plans.empty()) {
    speed_panel_->show_message(tr("Measured already: change the plan or the rounds"));
    return;
  }
  const auto out = std::make_shared<std::vector<std::vector<SpeedResult>>>();
  speed_panel_->set_running(true);
  run_job(speed_job_, tr("Speed of %1").arg(labels.join(QStringLiteral(" / "))),
          [checkpoint = opened_->checkpoint, device = device_.toStdString(), dtype = dtype_.toStdString(),
           plans, options, out](JobContext& job) {
            *out = measure_checkpoint_speed(checkpoint, plans, device, dtype, options, job);
          },
          {[this, labels, out] {
             speed_panel_->set_running(false);
             speed_panel_->add_results(labels, *out);
             emit speedMeasured();
           },
           [this](const QString& error) {
             speed_panel_->set_running(false);
             speed_panel_->show_message(tr("Measurement failed: %1").arg(error));
           },
           [this] { speed_panel_->set_running(false); }});
}

void MainWindow::drop_least_important() {
  if (!scores_ || scoring_job_ || selection_job_) return;
  const int n = drop_control_->count();
  const QString target_name = drop_control_->target(), strategy_name = drop_control_->strategy();
  const QString text = tr("Drop %1 least important (%2, %3, %4)")
                           .arg(n)
                           .arg(target_name, strategy_name, QString::fromUtf8(to_string(metric_)));
  try {
    const DropTarget target = parse_drop_target(target_name.toStdString());
    SelectionOptions selection;
    selection.metric = metric_;
    if (strategy_name == "iterative") {
      ScoreCheckpointRequest request = default_score_request();
      request.drops = plan_;
      const auto out = std::make_shared<DropPlan>();
      drop_control_->set_busy(true);
      run_job(selection_job_, text,
              [checkpoint = opened_->checkpoint, request, target, n, selection, out](JobContext& job) {
                *out = select_iterative_checkpoint(checkpoint, request, target, n, selection, job);
              },
              {[this, out, text] {
                 drop_control_->set_busy(false);
                 push_plan(*out, text);
               },
               [this](const QString& error) {
                 drop_control_->set_busy(false);
                 statusBar()->showMessage(tr("Cannot drop: %1").arg(error));
                 warn(this, tr("Cannot drop"), error);
               },
               [this] { drop_control_->set_busy(false); }});
      return;
    }
    ImportanceScores from_here = *scores_;  // rank what the current plan has not dropped yet
    from_here.plan = plan_;
    if (strategy_name == "consecutive") {
      if (target_name != "block") throw_bad_input("consecutive selection drops whole blocks: choose blocks");
      push_plan(select_consecutive(from_here, n, selection), text);
    } else {
      push_plan(select_discrete(from_here, target, n, selection), text);
    }
  } catch (const std::exception& e) {
    statusBar()->showMessage(tr("Cannot drop: %1").arg(e.what()));
    warn(this, tr("Cannot drop"), QString::fromStdString(e.what()));
  }
}

void MainWindow::apply_plan(const DropPlan& plan) {
  plan_ = plan;
  heatmap_->set_plan(plan_);
  compare_->set_plan_b(compare_label(), plan_, impact_of(plan_));
  emit planChanged();
  summary_->show_summary(summarize(opened_->checkpoint, plan_, runtime_dtype()));
  update_impact();
}

void MainWindow::update_impact() {
  impact_->show_estimate(impact_of(plan_));
  impact_->show_perplexity_pending();
  impact_->show_measured_pending();
  impact_->show();
  impact_timer_->start();
}

void MainWindow::start_perplexity() {
  if (!opened_) return;
  if (perplexity_job_) jobs_->cancel(perplexity_job_);  // its answer would be stale
  const auto text = find_default_calibration(QCoreApplication::applicationDirPath().toStdString());
  if (!text) {
    impact_->show_perplexity_failed(tr("the bundled held-out text was not found"));
    return;
  }
  // The last 2048 tokens of the bundled text: the importance map scores its first 16 × 256.
  struct Perplexities {
    double full = 0, with_drops = 0;
  };
  const auto out = std::make_shared<Perplexities>(Perplexities{full_perplexity_, 0});
  run_job(perplexity_job_, tr("Held-out perplexity (%1)").arg(drops_label()),
          [checkpoint = opened_->checkpoint, device = device_.toStdString(), dtype = dtype_.toStdString(),
           plan = plan_, text = *text, out](JobContext& job) {
            auto measure = [&](const DropPlan& drops) {
              return checkpoint_perplexity(checkpoint, drops, device, dtype, text, 2048, 256, job).ppl;
            };
            if (out->full == 0) out->full = measure({});
            out->with_drops = plan.empty() ? out->full : measure(plan);
          },
          {[this, out] {
             full_perplexity_ = out->full;
             impact_->show_perplexity(out->with_drops, out->full);
             emit impactUpdated();
           },
           [this](const QString& error) { impact_->show_perplexity_failed(error); },
           {}});
}

void MainWindow::measure_decode_speedup() {
  if (!opened_) return;
  if (decode_speed_job_) jobs_->cancel(decode_speed_job_);  // its answer would be stale
  const int64_t context = impact_of(plan_).context;         // where the estimate is made
  SpeedOptions options;
  options.rounds = {{context, 32}};
  std::vector<DropPlan> plans;
  if (full_decode_speed_ == 0) plans.push_back({});
  if (!plan_.empty()) plans.push_back(plan_);
  if (plans.empty()) {  // no drops, and the full model is measured already
    impact_->show_measured(full_decode_speed_, full_decode_speed_, device_, context);
    emit decodeSpeedMeasured();
    return;
  }
  struct Speeds {
    double full = 0, with_drops = 0;
  };
  const auto out = std::make_shared<Speeds>(Speeds{full_decode_speed_, 0});
  run_job(decode_speed_job_, tr("Decode speed (%1)").arg(drops_label()),
          [checkpoint = opened_->checkpoint, device = device_.toStdString(), dtype = dtype_.toStdString(),
           plans, options, out](JobContext& job) {
            const auto results = measure_checkpoint_speed(checkpoint, plans, device, dtype, options, job);
            for (const auto& configuration : results)
              if (configuration[0].out_of_memory) throw_runtime("out of memory");
            if (out->full == 0) out->full = results.front()[0].decode_tokens_per_second;
            out->with_drops = plans.back().empty() ? out->full : results.back()[0].decode_tokens_per_second;
          },
          {[this, out, context] {
             full_decode_speed_ = out->full;
             impact_->show_measured(out->full, out->with_drops, device_, context);
             emit decodeSpeedMeasured();
           },
           [this](const QString& error) { impact_->show_measured_failed(error); },
           {}});
}

QString MainWindow::compare_label() const {
  return tr("%1 · %2").arg(QFileInfo(opening_path_).fileName(), drops_label());
}

QString MainWindow::drops_label() const {
  if (plan_.empty()) return tr("full");
  QStringList parts;
  if (!plan_.attn.empty()) parts << tr("attn %1").arg(QString::fromStdString(format_indices(plan_.attn)));
  if (!plan_.mlp.empty()) parts << tr("mlp %1").arg(QString::fromStdString(format_indices(plan_.mlp)));
  return tr("%1 dropped").arg(parts.join(QStringLiteral(" · ")));
}

void MainWindow::evaluate() {
  if (eval_job_ || opening_job_ || !opened_) return;
  EvalOptions options;
  for (const QString& task : eval_panel_->selected_tasks()) options.tasks.push_back(task.toStdString());
  if (options.tasks.empty()) {
    eval_panel_->show_message(tr("Tick at least one task."));
    return;
  }
  if (!eval_panel_->data_dir().isEmpty())
    options.data.data_dirs.emplace_back(eval_panel_->data_dir().toStdString());
  options.limit = eval_panel_->limit();
  options.batch_size = device_ == QLatin1String("cpu") ? 1 : 16;  // batches pay on a GPU only
  const QString label = drops_label();
  const auto out = std::make_shared<EvalResults>();
  eval_panel_->set_running(true);
  statusBar()->showMessage(tr("Evaluating %1 (%2)…").arg(opening_path_, label));
  run_job(eval_job_, tr("Evaluate %1").arg(opening_path_),
          [checkpoint = opened_->checkpoint, device = device_.toStdString(), dtype = dtype_.toStdString(),
           plan = plan_, options, out](JobContext& job) {
            *out = evaluate_checkpoint(checkpoint, plan, device, dtype, options, job);
          },
          {[this, label, out] {
             eval_panel_->set_running(false);
             eval_panel_->add_results(label, *out);
             statusBar()->showMessage(tr("Evaluated %1 (%2)").arg(opening_path_, label));
             emit evaluationFinished();
           },
           [this](const QString& error) {
             eval_panel_->set_running(false);
             eval_panel_->show_message(tr("Evaluation failed: %1").arg(error));
             statusBar()->showMessage(tr("Evaluation failed"));
             emit evaluationFailed(error);
           },
           [this] { eval_panel_->set_running(false); }});
}

void MainWindow::run_job(int& slot, const QString& title, widgets::JobManager::Work work,
                         widgets::JobHandlers handlers) {
  const auto id = std::make_shared<int>(0);
  // True once for the job the slot still holds, freeing the slot; false for a superseded one.
  auto release = [&slot, id] {
    if (slot != *id) return false;
    slot = 0;
    return true;
  };
  widgets::JobHandlers own{[release, h = handlers.succeeded] {
                             if (release() && h) h();
                           },
                           [release, h = handlers.failed](const QString& error) {
                             if (release() && h) h(error);
                           },
                           [this, release, h = handlers.cancelled] {
                             if (!release()) return;
                             if (h) h();
                             statusBar()->showMessage(tr("Cancelled"));
                           }};
  *id = jobs_->start(title, std::move(work), std::move(own));
  slot = *id;
}

}  // namespace llmdrop::workbench
