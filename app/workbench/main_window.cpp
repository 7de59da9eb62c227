#include "main_window.h"

#include <QApplication>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include "checkpoint/checkpoint.h"
#include "job_manager.h"
#include "model_summary_widget.h"

namespace llmdrop::workbench {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      jobs_(new widgets::JobManager(this)),
      summary_(new widgets::ModelSummaryWidget(this)) {
  setWindowTitle(tr("LLM-Drop Workbench"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/llmdrop.svg")));
  setCentralWidget(summary_);
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Open model…"), QKeySequence::Open, this, &MainWindow::choose_model);
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
  connect(jobs_, &widgets::JobManager::succeeded, this, &MainWindow::on_job_succeeded);
  connect(jobs_, &widgets::JobManager::failed, this, &MainWindow::on_job_failed);
  statusBar()->showMessage(tr("Open a Hugging Face model folder (File → Open model…)"));
  resize(720, 480);
}

void MainWindow::choose_model() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a model folder"));
  if (!dir.isEmpty()) open_model(dir);
}

void MainWindow::open_model(const QString& path) {
  if (opening_job_) return;
  opening_path_ = path;
  opened_ = std::make_shared<ModelSummary>();
  statusBar()->showMessage(tr("Opening %1…").arg(path));
  // Reading and validating the checkpoint touches every file header: a job, off the UI thread.
  opening_job_ = jobs_->start(tr("Open %1").arg(path), [p = path.toStdString(), out = opened_](JobContext&) {
    *out = summarize(Checkpoint::open(p));
  });
}

void MainWindow::on_job_succeeded(int id) {
  if (id != opening_job_) return;
  opening_job_ = 0;
  summary_->show_summary(*opened_);
  statusBar()->showMessage(tr("Opened %1").arg(opening_path_));
  emit modelOpened(opening_path_);
}

void MainWindow::on_job_failed(int id, const QString& error) {
  if (id != opening_job_) return;
  opening_job_ = 0;
  const QString message = tr("Cannot open %1:\n%2").arg(opening_path_, error);
  statusBar()->showMessage(tr("Cannot open %1").arg(opening_path_));
  emit openFailed(message);
  QMessageBox::warning(this, tr("Cannot open model"), message);
}

}  // namespace llmdrop::workbench
