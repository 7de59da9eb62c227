#pragma once
// Evaluation in the workbench: pick lm-eval-style tasks and a data folder, run them on the model with its
// current drops (a job), and compare runs side by side — one column per run (full model, each drop set), and
// their accuracies as grouped bars.
#include <QWidget>
#include <vector>

#include "project/project_file.h"

class QCustomPlot;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace llmdrop {
struct EvalResults;
}

namespace llmdrop::widgets {

class EvalPanel : public QWidget {
  Q_OBJECT
 public:
  explicit EvalPanel(QWidget* parent = nullptr);

  QStringList selected_tasks() const;
  void set_selected_tasks(const QStringList& tasks);
  QString data_dir() const;
  void set_data_dir(const QString& dir);
  int limit() const;  // documents per task (per MMLU subject); 0 = all
  void set_limit(int limit);
  void set_running(bool running);
  void show_message(const QString& message);
  // Adds a column `label` ("full", "attn 3,5 dropped") with every metric of `results`.
  void add_results(const QString& label, const EvalResults& results);
  // The columns as shown (for project files), and one such column added back.
  std::vector<ResultsColumn> results() const;
  void add_column(const ResultsColumn& column);
  // The text of a result cell, by row ("arc_easy · acc") and column label. Used by tests.
  QString cell_text(const QString& row, const QString& column) const;
  int result_columns() const;
  // The results as tab-separated text: a header of run labels, then one line per metric.
  QString results_text() const;
  // The bar chart of the accuracy-type rows (acc…, exact_match…): a group per row, a bar per run (column).
  // The bar heights of a column as drawn (0 where it lacks the row), and the chart as PNG, PDF or SVG (see
  // save_plot).
  QStringList chart_rows() const;
  std::vector<double> chart_bars(int column) const;
  bool save_chart(const QString& path, QString* error = nullptr) const;

 signals:
  void evaluateRequested();

 private:
  int row_for(const QString& key);
  void update_chart();                         // after every new column
  std::vector<int> chart_row_indices() const;  // the table rows the chart shows
  QListWidget* tasks_;
  QLineEdit* data_dir_;
  QSpinBox* limit_;
  QPushButton* run_;
  QLabel* message_;
  QTableWidget* table_;
  QCustomPlot* chart_;
};

}  // namespace llmdrop::widgets
