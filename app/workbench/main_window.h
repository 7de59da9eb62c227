#pragma once
// The workbench's main window: open a model, see its summary. (The full workbench grows from here.)
#include <QFutureWatcher>
#include <QMainWindow>

#include "checkpoint/summary.h"

namespace llmdrop::widgets {
class ModelSummaryWidget;
}

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
  void on_open_finished();

  // QtConcurrent turns foreign exceptions into a message-less QUnhandledException: carry the message instead.
  struct Opened {
    ModelSummary summary;
    QString error;
  };
  widgets::ModelSummaryWidget* summary_;
  QFutureWatcher<Opened> opening_;
  QString opening_path_;
};

}  // namespace llmdrop::workbench
