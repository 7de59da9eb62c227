#pragma once
// The workbench's main window: open a model, see its summary. (The full workbench grows from here.)
#include <QMainWindow>
#include <memory>

#include "checkpoint/summary.h"

namespace llmdrop::widgets {
class JobManager;
class ModelSummaryWidget;
}  // namespace llmdrop::widgets

namespace llmdrop::workbench {

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);

  // Opens the model in the background; emits modelOpened or openFailed when done.
  void open_model(const QString& path);

 signals:
  void modelOpened(const QString& path);
  void openFailed(const QString& message);

 private:
  void choose_model();
  void on_job_succeeded(int id);
  void on_job_failed(int id, const QString& message);

  widgets::JobManager* jobs_;
  widgets::ModelSummaryWidget* summary_;
  int opening_job_ = 0;  // 0: none
  QString opening_path_;
  std::shared_ptr<ModelSummary> opened_;  // filled by the open job
};

}  // namespace llmdrop::workbench
