#include "main_window.h"

#include <QApplication>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QtConcurrent>

#include "checkpoint/checkpoint.h"
#include "model_summary_widget.h"

namespace llmdrop::workbench {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), summary_(new widgets::ModelSummaryWidget(this)) {
  setWindowTitle(tr("LLM-Drop Workbench"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/llmdrop.svg")));
  setCentralWidget(summary_);
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Open model…"), QKeySequence::Open, this, &MainWindow::choose_model);
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
  connect(&opening_, &QFutureWatcher<Opened>::finished, this, &MainWindow::on_open_finished);
  statusBar()->showMessage(tr("Open a Hugging Face model folder (File → Open model…)"));
  resize(720, 480);
}

void MainWindow::choose_model() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a model folder"));
  if (!dir.isEmpty()) open_model(dir);
}

void MainWindow::open_model(const QString& path) {
  if (opening_.isRunning()) return;
  opening_path_ = path;
  statusBar()->showMessage(tr("Opening %1…").arg(path));
  // Reading and validating the checkpoint touches every file header: keep it off the UI thread.
  opening_.setFuture(QtConcurrent::run([p = path.toStdString()] {
    try {
      return Opened{summarize(Checkpoint::open(p)), {}};
    } catch (const std::exception& e) {
      return Opened{{}, QString::fromStdString(e.what())};
    }
  }));
}

void MainWindow::on_open_finished() {
  const Opened opened = opening_.result();
  if (opened.error.isEmpty()) {
    summary_->show_summary(opened.summary);
    statusBar()->showMessage(tr("Opened %1").arg(opening_path_));
    emit modelOpened(opening_path_);
    return;
  }
  const QString message = tr("Cannot open %1:\n%2").arg(opening_path_, opened.error);
  statusBar()->showMessage(tr("Cannot open %1").arg(opening_path_));
  emit openFailed(message);
  QMessageBox::warning(this, tr("Cannot open model"), message);
}

}  // namespace llmdrop::workbench
