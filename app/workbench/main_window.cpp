#include "main_window.h"

#include <QApplication>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QVBoxLayout>

#include "analysis/score_checkpoint.h"
#include "checkpoint/checkpoint.h"
#include "checkpoint/default_model.h"
#include "eval/evaluator.h"
#include "eval_panel.h"
#include "importance_heatmap.h"
#include "job_manager.h"
#include "model_summary_widget.h"

namespace llmdrop::workbench {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      jobs_(new widgets::JobManager(this)),
      summary_(new widgets::ModelSummaryWidget(this)),
      heatmap_(new widgets::ImportanceHeatmap(this)),
      eval_panel_(new widgets::EvalPanel(this)) {
  setWindowTitle(tr("LLM-Drop Workbench"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/llmdrop.svg")));
  auto* central = new QWidget(this);
  auto* layout = new QVBoxLayout(central);
  layout->addWidget(summary_);
  layout->addWidget(heatmap_, 1);
  heatmap_->setMinimumHeight(220);
  heatmap_->hide();
  layout->addWidget(eval_panel_);
  eval_panel_->hide();
  if (const QString dirs = qEnvironmentVariable("LLMDROP_DATA_DIR"); !dirs.isEmpty())
    eval_panel_->set_data_dir(dirs.split(':').first());
  setCentralWidget(central);
  connect(eval_panel_, &widgets::EvalPanel::evaluateRequested, this, &MainWindow::evaluate);
  connect(heatmap_, &widgets::ImportanceHeatmap::moduleToggled, this, &MainWindow::toggle_module);
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Open model…"), QKeySequence::Open, this, &MainWindow::choose_model);
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
  connect(jobs_, &widgets::JobManager::succeeded, this, &MainWindow::on_job_succeeded);
  connect(jobs_, &widgets::JobManager::failed, this, &MainWindow::on_job_failed);
  statusBar()->showMessage(tr("Open a Hugging Face model folder (File → Open model…)"));
  resize(960, 720);
}

void MainWindow::choose_model() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a model folder"));
  if (!dir.isEmpty()) open_model(dir);
}

void MainWindow::open_model(const QString& path) {
  if (opening_job_ || scoring_job_) return;
  opening_path_ = path;
  opened_ = std::make_shared<Opened>();
  heatmap_->hide();
  statusBar()->showMessage(tr("Opening %1…").arg(path));
  // Reading and validating the checkpoint touches every file header: a job, off the UI thread.
  opening_job_ = jobs_->start(tr("Open %1").arg(path), [p = path.toStdString(), out = opened_](JobContext&) {
    out->checkpoint = Checkpoint::open(p);
    out->summary = summarize(out->checkpoint);
  });
}

void MainWindow::start_scoring() {
  const auto calibration = find_default_calibration(QCoreApplication::applicationDirPath().toStdString());
  if (!calibration) {
    emit scoreFailed(tr("the bundled calibration text was not found"));
    return;
  }
  // The default map: 16 blocks of up to 256 tokens, LLM-Drop's cosine similarity, the checkpoint's drops.
  ScoreCheckpointRequest request;
  request.data = *calibration;
  request.seq_len = std::min<int64_t>(256, opened_->checkpoint.config.max_position_embeddings);
  request.drops = opened_->checkpoint.config.drops;
  request.options.batch_size = 4;
  scores_ = std::make_shared<ImportanceScores>();
  statusBar()->showMessage(tr("Computing the importance map…"));
  scoring_job_ = jobs_->start(tr("Score %1").arg(opening_path_),
                              [checkpoint = opened_->checkpoint, request, out = scores_](JobContext& job) {
                                *out = score_checkpoint(checkpoint, request, job);
                              });
}

void MainWindow::on_job_succeeded(int id) {
  if (id == opening_job_) {
    opening_job_ = 0;
    plan_ = opened_->checkpoint.config.drops;
    summary_->show_summary(opened_->summary);
    eval_panel_->show();
    statusBar()->showMessage(tr("Opened %1").arg(opening_path_));
    emit modelOpened(opening_path_);
    start_scoring();
  } else if (id == scoring_job_) {
    scoring_job_ = 0;
    heatmap_->set_scores(*scores_, Metric::Cosine);
    heatmap_->set_plan(plan_);
    heatmap_->show();
    statusBar()->showMessage(
        tr("Importance map of %1: click a cell to drop or restore that module").arg(opening_path_));
    emit scoresReady();
  } else if (id == eval_job_) {
    eval_job_ = 0;
    eval_panel_->set_running(false);
    eval_panel_->add_results(eval_label_, *eval_results_);
    statusBar()->showMessage(tr("Evaluated %1 (%2)").arg(opening_path_, eval_label_));
    emit evaluationFinished();
  }
}

void MainWindow::on_job_failed(int id, const QString& error) {
  if (id == eval_job_) {
    eval_job_ = 0;
    eval_panel_->set_running(false);
    eval_panel_->show_message(tr("Evaluation failed: %1").arg(error));
    statusBar()->showMessage(tr("Evaluation failed"));
    emit evaluationFailed(error);
    return;
  }
  if (id == scoring_job_) {
    scoring_job_ = 0;
    statusBar()->showMessage(tr("Cannot compute the importance map: %1").arg(error));
    emit scoreFailed(error);
    return;
  }
  if (id != opening_job_) return;
  opening_job_ = 0;
  const QString message = tr("Cannot open %1:\n%2").arg(opening_path_, error);
  statusBar()->showMessage(tr("Cannot open %1").arg(opening_path_));
  emit openFailed(message);
  QMessageBox::warning(this, tr("Cannot open model"), message);
}

void MainWindow::toggle_module(ModuleKind kind, qint64 layer) {
  plan_ = toggled(plan_, kind, layer);
  heatmap_->set_plan(plan_);
  summary_->show_summary(summarize(opened_->checkpoint, plan_, opened_->summary.runtime_dtype));
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
  options.batch_size = 1;  // the workbench evaluates on the CPU
  eval_label_ = drops_label();
  eval_results_ = std::make_shared<EvalResults>();
  eval_panel_->set_running(true);
  statusBar()->showMessage(tr("Evaluating %1 (%2)…").arg(opening_path_, eval_label_));
  eval_job_ = jobs_->start(
      tr("Evaluate %1").arg(opening_path_),
      [checkpoint = opened_->checkpoint, plan = plan_, options, out = eval_results_](JobContext& job) {
        *out = evaluate_checkpoint(checkpoint, plan, "cpu", options, job);
      });
}

}  // namespace llmdrop::workbench
