#pragma once
// Speed in the workbench: LLM-Drop's protocol (prefill of `context` random tokens, then greedy decode steps)
// for the full model and the current drop plan, as a job; decode tokens/s against context for each
// configuration, KV-cache bars, and a table with the speedups.
#include <QWidget>
#include <optional>
#include <vector>

#include "bench/speed.h"

class QCustomPlot;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace llmdrop::widgets {

class SpeedPanel : public QWidget {
  Q_OBJECT
 public:
  explicit SpeedPanel(QWidget* parent = nullptr);

  void set_rounds(const QString& contexts, int new_tokens);
  // The rounds asked for; nullopt and `error` when the contexts are not a list of positive integers.
  std::optional<std::vector<SpeedRound>> rounds(QString* error = nullptr) const;
  void set_running(bool running);
  void show_message(const QString& message);
  // results[c][r]: configuration c (labels[c]; the first is the baseline of the speedups), round r.
  void show_results(const QStringList& labels, const std::vector<std::vector<SpeedResult>>& results);

  int result_rows() const;
  QString cell_text(int row,
                    int column) const;  // columns: configuration, context, prefill, decode, KV, speedup
  int decode_graphs() const;
  QPushButton* measure_button() const { return measure_; }
  // The decode-speed plot, or the KV-cache bars, as PNG, PDF or SVG (see save_plot).
  enum class Plot { decode_speed, kv_cache };
  bool save(Plot plot, const QString& path, QString* error = nullptr) const;

 signals:
  void measureRequested();

 private:
  QLineEdit* contexts_;
  QSpinBox* new_tokens_;
  QPushButton* measure_;
  QLabel* message_;
  QCustomPlot* decode_plot_;
  QCustomPlot* memory_plot_;
  QTableWidget* table_;
};

}  // namespace llmdrop::widgets
