#pragma once
// The logit lens page: a prompt, the number of predictions to list, and the lens as a token grid: one row per
// sub-layer (each layer's attention, then its MLP), one column per prompt position; a cell shows the most
// probable next token after that sub-layer, shaded by its probability; hovering shows the top k with
// probabilities. A dropped sub-layer's row says so and is greyed: the stream passes it unchanged.
#include <QStringList>
#include <QWidget>
#include <functional>
#include <vector>

#include "analysis/lens.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace llmdrop::widgets {

class LensGrid : public QWidget {
  Q_OBJECT
 public:
  explicit LensGrid(QWidget* parent = nullptr);

  // `prompt`: each position's token as text (the column headers); `token_text` turns a predicted id into
  // text.
  void show_lens(const std::vector<LensRow>& rows, const QStringList& prompt,
                 const std::function<QString(int64_t)>& token_text);
  void show_message(const QString& message);  // instead of a grid: why there is none (yet)
  QString message() const;                    // the line above the grid
  QString prompt() const;
  int top_k() const;
  void set_prompt(const QString& prompt);
  void set_running(bool running);  // a lens job is computing
  QPushButton* show_button() const { return show_; }

  int rows() const;
  int positions() const;
  QString row_label(int row) const;
  QString cell_text(int row, int position) const;     // the top token
  QString cell_tooltip(int row, int position) const;  // the top k with probabilities
  QColor cell_colour(int row, int position) const;
  // White at probability 0 to a saturated blue at 1, by the square root (small probabilities stay visible).
  static QColor shade(double probability);
  QTableWidget* table() const { return table_; }

 signals:
  void lensRequested();  // Show (or Return in the prompt)

 private:
  QLineEdit* prompt_;
  QSpinBox* top_k_;
  QPushButton* show_;
  QTableWidget* table_;
  QLabel* message_;
};

}  // namespace llmdrop::widgets
