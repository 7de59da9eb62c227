#pragma once
// Every job of a JobManager as a row: title, progress bar, what it is doing with an estimate of the time
// left, and a Cancel button; below, a log of starts, ends, failures and cancellations.
#include <QElapsedTimer>
#include <QHash>
#include <QWidget>

class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace llmdrop::widgets {

class JobManager;

class JobsPanel : public QWidget {
  Q_OBJECT
 public:
  explicit JobsPanel(JobManager* jobs, QWidget* parent = nullptr);

  int rows() const;
  int visible_rows() const;           // how many rows the table has room for, as laid out
  QString status_text(int id) const;  // "layer 3 · 40% · about 12 s left", "done in 1.2 s", "cancelled", …
  QPushButton* cancel_button(int id) const;
  QString log_text() const;

  // Seconds left when `done` of `total` took `elapsed` seconds; negative when unknown.
  static double seconds_left(qint64 done, qint64 total, double elapsed);

 private:
  struct Row {
    int row = 0;
    QElapsedTimer clock;
    QProgressBar* bar = nullptr;
    QPushButton* cancel = nullptr;
  };
  void on_started(int id, const QString& title);
  void on_progress(int id, qint64 done, qint64 total, const QString& message);
  void on_finished(int id, const QString& status, const QString& log_line, bool completed);
  void set_status(int id, const QString& text);
  void log(const QString& line);

  JobManager* jobs_;
  QTableWidget* table_;
  QPlainTextEdit* log_;
  QHash<int, Row> rows_;
};

}  // namespace llmdrop::widgets
