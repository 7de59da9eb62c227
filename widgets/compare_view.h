#pragma once
// Two models, or one model under two drop plans, side by side: A (a model and plan pinned, with its map; the
// current model in full until then) and B (the current model and plan), each on its own importance map, their
// impact and held-out perplexity in a table, which modules only one of them drops, and both greedy
// continuations of the same prompt.
#include <QWidget>

#include "analysis/impact.h"
#include "analysis/scores.h"

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace llmdrop::widgets {

class ImportanceHeatmap;

class CompareView : public QWidget {
  Q_OBJECT
 public:
  enum Row { Parameters, KvCache, Speedup, Perplexity, Rows };
  explicit CompareView(QWidget* parent = nullptr);

  // B's map; A's map keeps A's own scores, drawn in `metric` too.
  void set_scores(const ImportanceScores& scores, Metric metric);
  // Pins A: its label (model and plan), plan, impact and importance scores.
  void set_plan_a(const QString& label, const DropPlan& plan, const PlanImpact& impact,
                  const ImportanceScores& scores);
  void set_plan_b(const QString& label, const DropPlan& plan, const PlanImpact& impact);
  const DropPlan& plan_a() const { return a_; }
  const DropPlan& plan_b() const { return b_; }
  void set_running(bool running);
  void show_message(const QString& message);
  void show_measurements(double perplexity_a, double perplexity_b, const QString& text_a,
                         const QString& text_b);

  QString prompt() const;
  void set_prompt(const QString& prompt);
  QString cell_text(Row row, int column) const;  // column 0: A, 1: B
  QString difference_text() const;
  QString generation(int column) const;
  const QWidget* generation_box(int column) const;  // where generation(column) is shown
  const ImportanceHeatmap* map(int column) const { return column == 0 ? map_a_ : map_b_; }
  QPushButton* pin_button() const { return pin_; }
  QPushButton* run_button() const { return run_; }

 signals:
  void pinRequested();
  void runRequested();

 private:
  void set_plan(int column, const QString& label, const DropPlan& plan, const PlanImpact& impact);
  void show_difference();

  QPushButton *pin_, *run_;
  QLineEdit* prompt_;
  QLabel *caption_a_, *caption_b_, *difference_, *message_;
  ImportanceHeatmap *map_a_, *map_b_;
  QTableWidget* table_;
  QPlainTextEdit *text_a_, *text_b_;
  DropPlan a_, b_;
  ImportanceScores scores_a_;
  Metric metric_ = Metric::Cosine;
  size_t layers_a_ = 0, layers_b_ = 0;  // model depths (different models may differ)
  bool has_a_ = false;
};

}  // namespace llmdrop::widgets
