#pragma once
// Importance as a heatmap: rows Attention / MLP / Block, one column per layer, colour = importance (a log
// scale with several ticks). Dropped modules are crossed out in black or white, whichever the cell contrasts
// with; clicking a cell asks to toggle that module; hovering shows the exact value. Without scores it says
// so.
#include <QWidget>
#include <vector>

#include "analysis/scores.h"
#include "checkpoint/drop_plan.h"

class QCustomPlot;
class QCPColorMap;
class QCPItemText;

namespace llmdrop::widgets {

class ImportanceHeatmap : public QWidget {
  Q_OBJECT
 public:
  explicit ImportanceHeatmap(QWidget* parent = nullptr);

  // Shows `metric`, or the first of cosine and angular that every module has when the scores lack it (NLL
  // increases are measured only on demand); metric() says which one is shown.
  void set_scores(const ImportanceScores& scores, Metric metric);
  Metric metric() const { return metric_; }
  static bool has_metric(const ImportanceScores& scores, Metric metric);  // every module has its values
  void set_plan(const DropPlan& plan);

  // The row of each module kind, top to bottom: Attention, MLP, Block.
  static int row_of(ModuleKind kind);
  // The module under a pixel of the plot, if any (used by clicks, hover and tests).
  bool module_at(const QPoint& pixel, ModuleKind* kind, int64_t* layer) const;
  QPoint cell_center(ModuleKind kind, int64_t layer) const;  // in plot pixels
  double importance(ModuleKind kind, int64_t layer) const;   // NaN when unknown
  QString cell_text(ModuleKind kind, int64_t layer) const;   // what hovering shows
  QColor cell_colour(ModuleKind kind, int64_t layer) const;  // as drawn
  // The colour of the ✕ on a dropped cell: black or white, whichever contrasts more with the cell.
  QColor mark_colour(ModuleKind kind, int64_t layer) const;
  QWidget* plot_widget() const;  // the plot itself (for clicks in tests)
  // The plot as a file, by extension: .png, .pdf or .svg. False (and `error`) when it cannot be written.
  bool save(const QString& path, QString* error = nullptr) const;

 signals:
  void moduleToggled(llmdrop::ModuleKind kind, qint64 layer);

 private:
  void redraw_marks();
  QCustomPlot* plot_;
  QCPColorMap* map_;
  std::vector<QCPItemText*> marks_;
  std::vector<std::vector<double>> importance_;  // [row][layer]
  DropPlan plan_;
  Metric metric_ = Metric::Cosine;
};

}  // namespace llmdrop::widgets
