#pragma once
// Speed in the workbench: LLM-Drop's protocol (prefill of `context` random tokens, then greedy decode steps)
// for the full model and the current drop plan, as a job; each measurement adds its configurations to those
// shown (the full model measured once per set of rounds): decode tokens/s against context for each, KV-cache
// bars, and a table with the speedups over the full model.
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
  QString message() const;
  // results[c][r]: configuration c (labels[c]), round r. Added to those shown; a label shown already is
  // replaced, and results for other rounds than those shown replace them all. The first configuration shown
  // is the baseline of the speedups.
  void add_results(const QStringList& labels, const std::vector<std::vector<SpeedResult>>& results);
  // Whether `label` is shown, measured with `rounds`.
  bool shows(const QString& label, const std::vector<SpeedRound>& rounds) const;
  void clear_results();

  int result_rows() const;
  QString cell_text(int row,
                    int column) const;  // columns: configuration, context, prefill, decode, KV, speedup
  int decode_graphs() const;
  QPushButton* measure_button() const { return measure_; }
  QPushButton* clear_button() const { return clear_; }
  // The decode-speed plot, or the KV-cache bars, as PNG, PDF or SVG (see save_plot).
  enum class Plot { decode_speed, kv_cache };
  bool save(Plot plot, const QString& path, QString* error = nullptr) const;

 signals:
  void measureRequested();

 private:
  QLineEdit* contexts_;
  QSpinBox* new_tokens_;
  QPushButton *measure_, *clear_;
  QLabel* message_;
  QCustomPlot* decode_plot_;
  QCustomPlot* memory_plot_;
  QTableWidget* table_;
  QStringList labels_;                             // the configurations shown
  std::vector<std::vector<SpeedResult>> results_;  // [configuration][round]
  void render();
};

}  // namespace llmdrop::widgets
