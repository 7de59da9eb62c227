#pragma once
// Importance as a heatmap: rows Attention / MLP / Block (per task for task importance), one column per layer,
// colour = importance (a log scale with several ticks). Dropped modules are crossed out in black or white,
// whichever the cell contrasts with; clicking a cell asks to toggle that module; hovering shows the exact
// value. Without scores it says so.
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
  // increases are measured only on demand); metric() says which one is shown. Metric::Task shows a set of
  // rows per task (its NLL increases), labelled with the task's name.
  void set_scores(const ImportanceScores& scores, Metric metric);
  Metric metric() const { return metric_; }
  static bool has_metric(const ImportanceScores& scores, Metric metric);  // every module has its values
  void set_plan(const DropPlan& plan);

  // The row of each module kind within a set, top to bottom: Attention, MLP, Block.
  static int row_of(ModuleKind kind);
  int row_sets() const { return static_cast<int>(sets_.size()); }  // one, or one per task
  // The module under a pixel of the plot, if any, and which set of rows it is in (used by clicks, hover and
  // tests). Clicking any set's cell toggles the module.
  bool module_at(const QPoint& pixel, ModuleKind* kind, int64_t* layer, int* set = nullptr) const;
  QPoint cell_center(ModuleKind kind, int64_t layer, int set = 0) const;  // in plot pixels
  double importance(ModuleKind kind, int64_t layer, int set = 0) const;   // NaN when unknown
  QString cell_text(ModuleKind kind, int64_t layer, int set = 0) const;   // what hovering shows
  QColor cell_colour(ModuleKind kind, int64_t layer, int set = 0) const;  // as drawn
  // The colour of the ✕ on a dropped cell: black or white, whichever contrasts more with the cell.
  QColor mark_colour(ModuleKind kind, int64_t layer, int set = 0) const;
  QWidget* plot_widget() const;  // the plot itself (for clicks in tests)
  // The plot as a file, by extension: .png, .pdf or .svg. False (and `error`) when it cannot be written.
  bool save(const QString& path, QString* error = nullptr) const;

 signals:
  void moduleToggled(llmdrop::ModuleKind kind, qint64 layer);

 private:
  struct RowSet {
    QString label;                          // the task's name; empty for the calibration's metric
    std::vector<std::vector<double>> rows;  // [Attention, MLP, Block][layer]
  };
  void redraw_marks();
  int64_t layers() const;
  double row_coordinate(ModuleKind kind, int set) const;  // value axis: set 0 at the top
  static QString kind_name(ModuleKind kind);
  QCustomPlot* plot_;
  QCPColorMap* map_;
  std::vector<QCPItemText*> marks_;
  std::vector<RowSet> sets_;
  DropPlan plan_;
  Metric metric_ = Metric::Cosine;
};

}  // namespace llmdrop::widgets
