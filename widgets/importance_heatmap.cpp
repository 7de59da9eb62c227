#include "importance_heatmap.h"

#include "plots.h"

#include <qcustomplot.h>

#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace llmdrop::widgets {

namespace {
constexpr ModuleKind kRows[] = {ModuleKind::Attn, ModuleKind::Mlp, ModuleKind::Block};

}  // namespace

// Every row, or for angular-last (blocks only) some; for task:NAME, at least one task.
bool ImportanceHeatmap::has_metric(const ImportanceScores& scores, Metric metric) {
  if (metric == Metric::Task) return !scores.tasks.empty();
  int rows = 0;
  for (ModuleKind kind : kRows) rows += scores.of(kind).has(metric) ? 1 : 0;
  return metric == Metric::AngularLast ? rows > 0 : rows == 3;
}

ImportanceHeatmap::ImportanceHeatmap(QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot(this)), map_(new QCPColorMap(plot_->xAxis, plot_->yAxis)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_);
  auto* scale = new QCPColorScale(plot_);
  plot_->plotLayout()->addElement(0, 1, scale);
  map_->setColorScale(scale);
  map_->setGradient(QCPColorGradient::gpThermal);
  map_->setInterpolate(false);
  plot_->yAxis->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));  // set_scores labels
  plot_->yAxis->setLabel(tr("module"));
  plot_->xAxis->setLabel(tr("layer"));
  QSharedPointer<QCPAxisTickerFixed> layers(new QCPAxisTickerFixed);  // whole layers only
  layers->setTickStep(1.0);
  layers->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
  plot_->xAxis->setTicker(layers);
  // Importance spans orders of magnitude (the first layers dwarf the rest): a log colour scale keeps the
  // differences between the redundant layers visible.
  map_->setDataScaleType(QCPAxis::stLogarithmic);
  use_readable_log_ticks(scale->axis());
  show_no_data(plot_, tr("No importance scores yet"));
  plot_->setMouseTracking(true);
  connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
    ModuleKind kind;
    int64_t layer;
    if (event->button() == Qt::LeftButton && module_at(event->pos(), &kind, &layer))
      emit moduleToggled(kind, layer);
  });
  connect(plot_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
    ModuleKind kind;
    int64_t layer;
    if (module_at(event->pos(), &kind, &layer))
      QToolTip::showText(plot_->mapToGlobal(event->pos()), cell_text(kind, layer), plot_);
  });
}

int ImportanceHeatmap::row_of(ModuleKind kind) {
  return kind == ModuleKind::Attn ? 2 : kind == ModuleKind::Mlp ? 1 : 0;  // value coordinate
}

double ImportanceHeatmap::row_coordinate(ModuleKind kind, int set) const {
  return double((row_sets() - 1 - set) * 3 + row_of(kind));
}

void ImportanceHeatmap::set_scores(const ImportanceScores& scores, Metric metric) {
  for (Metric fallback : {Metric::Cosine, Metric::Angular})
    if (!has_metric(scores, metric) && has_metric(scores, fallback)) metric = fallback;
  metric_ = metric;
  plan_ = scores.plan;
  sets_.clear();
  // One set of rows for the metric, or one per task, each showing its NLL increases.
  auto add_set = [&](const QString& label, const ModuleScores& block, const ModuleScores& attn,
                     const ModuleScores& mlp, Metric shown) {
    RowSet set{label, {}};
    for (const ModuleScores* m : {&attn, &mlp, &block})  // kRows' order
      // Scores lacking the metric show empty rows rather than throw from a slot.
      set.rows.push_back(m->has(shown) ? m->importance(shown) : std::vector<double>());
    sets_.push_back(std::move(set));
  };
  if (metric == Metric::Task)
    for (const TaskImportance& t : scores.tasks)
      add_set(QString::fromStdString(t.task), t.block, t.attn, t.mlp, Metric::NllDelta);
  else
    add_set(QString(), scores.block, scores.attn, scores.mlp, metric);
  size_t longest = 0;
  for (const auto& set : sets_)
    for (const auto& row : set.rows) longest = std::max(longest, row.size());
  for (auto& set : sets_)
    for (auto& row : set.rows) row.resize(longest, NAN);  // rows of unequal length: unknown cells are NaN
  const int layers = static_cast<int>(longest), rows = 3 * row_sets();
  map_->data()->setSize(layers, rows);
  map_->data()->setRange(QCPRange(0, std::max(1, layers - 1)), QCPRange(0, std::max(1, rows - 1)));
  QSharedPointer<QCPAxisTickerText> labels(new QCPAxisTickerText);
  double lo = INFINITY, hi = -INFINITY;
  for (int set = 0; set < row_sets(); ++set)
    for (int r = 0; r < 3; ++r) {
      const int y = static_cast<int>(row_coordinate(kRows[r], set));
      const QString name = kind_name(kRows[r]);
      labels->addTick(y, sets_[set].label.isEmpty() ? name : sets_[set].label + " · " + name);
      for (int i = 0; i < layers; ++i) {
        const double v = sets_[set].rows[r][i];
        map_->data()->setCell(i, y, std::isnan(v) ? 0 : v);
        map_->data()->setAlpha(i, y, std::isnan(v) ? 0 : 255);
        if (!std::isnan(v) && v > 0) lo = std::min(lo, v), hi = std::max(hi, v);
      }
    }
  plot_->yAxis->setTicker(labels);
  map_->setDataRange(std::isfinite(lo) ? QCPRange(lo, hi > lo ? hi : lo * 1.001) : QCPRange(1e-3, 1));
  if (std::isfinite(lo))
    show_data(plot_);
  else
    show_no_data(plot_, tr("No importance scores yet"));
  // Short: the scale is as tall as three rows of cells.
  map_->colorScale()->axis()->setLabel(metric == Metric::NllDelta      ? tr("NLL increase")
                                       : metric == Metric::Task        ? tr("task NLL increase")
                                       : metric == Metric::Kl          ? tr("KL divergence")
                                       : metric == Metric::Js          ? tr("JS divergence")
                                       : metric == Metric::AngularLast ? tr("last-token angle")
                                       : metric == Metric::Angular     ? tr("angular distance")
                                                                       : tr("1 − cosine"));
  plot_->xAxis->setRange(-0.5, layers - 0.5);
  plot_->yAxis->setRange(-0.5, rows - 0.5);
  redraw_marks();
}

void ImportanceHeatmap::set_plan(const DropPlan& plan) {
  plan_ = plan;
  redraw_marks();
}

void ImportanceHeatmap::redraw_marks() {
  for (auto* mark : marks_) plot_->removeItem(mark);
  marks_.clear();
  for (int set = 0; set < row_sets(); ++set)
    for (ModuleKind kind : kRows)
      for (int64_t i = 0; i < layers(); ++i) {
        if (!is_dropped(plan_, kind, i)) continue;
        auto* mark = new QCPItemText(plot_);
        mark->position->setCoords(double(i), row_coordinate(kind, set));
        mark->setText(QStringLiteral("✕"));
        mark->setColor(mark_colour(kind, i, set));
        mark->setFont(QFont(font().family(), 14, QFont::Bold));
        marks_.push_back(mark);
      }
  plot_->replot();
}

int64_t ImportanceHeatmap::layers() const {
  return sets_.empty() ? 0 : static_cast<int64_t>(sets_.front().rows.front().size());
}

bool ImportanceHeatmap::module_at(const QPoint& pixel, ModuleKind* kind, int64_t* layer, int* set) const {
  if (sets_.empty()) return false;
  const double key = plot_->xAxis->pixelToCoord(pixel.x()), value = plot_->yAxis->pixelToCoord(pixel.y());
  const int64_t column = std::lround(key), row = std::lround(value);
  if (column < 0 || column >= layers() || row < 0 || row >= 3 * row_sets()) return false;
  if (std::abs(key - column) > 0.5 || std::abs(value - row) > 0.5) return false;
  const int64_t within = row % 3;
  *kind = within == 2 ? ModuleKind::Attn : within == 1 ? ModuleKind::Mlp : ModuleKind::Block;
  *layer = column;
  if (set) *set = row_sets() - 1 - static_cast<int>(row / 3);
  return true;
}

QPoint ImportanceHeatmap::cell_center(ModuleKind kind, int64_t layer, int set) const {
  return QPoint(int(plot_->xAxis->coordToPixel(double(layer))),
                int(plot_->yAxis->coordToPixel(row_coordinate(kind, set))));
}

double ImportanceHeatmap::importance(ModuleKind kind, int64_t layer, int set) const {
  const int r = kind == ModuleKind::Attn ? 0 : kind == ModuleKind::Mlp ? 1 : 2;
  if (set < 0 || set >= row_sets() || layer < 0 || layer >= layers()) return NAN;
  return sets_[set].rows[r][layer];
}

QColor ImportanceHeatmap::cell_colour(ModuleKind kind, int64_t layer, int set) const {
  const double v = importance(kind, layer, set);
  if (std::isnan(v)) return Qt::white;  // unknown cells are transparent over the white plot
  return QColor::fromRgba(map_->gradient().color(v, map_->dataRange(), true));
}

QColor ImportanceHeatmap::mark_colour(ModuleKind kind, int64_t layer, int set) const {
  // WCAG's relative luminance: black on cells brighter than the midpoint of contrast, white on darker ones.
  const QColor cell = cell_colour(kind, layer, set);
  auto linear = [](double c) { return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
  const double luminance =
      0.2126 * linear(cell.redF()) + 0.7152 * linear(cell.greenF()) + 0.0722 * linear(cell.blueF());
  return luminance > 0.179 ? Qt::black : Qt::white;
}

QString ImportanceHeatmap::kind_name(ModuleKind kind) {
  return kind == ModuleKind::Attn ? tr("Attention") : kind == ModuleKind::Mlp ? tr("MLP") : tr("Block");
}

QString ImportanceHeatmap::cell_text(ModuleKind kind, int64_t layer, int set) const {
  const double v = importance(kind, layer, set);
  const QString value = std::isnan(v) ? tr("dropped") : QString::number(v, 'f', 6);
  const QString module = tr("%1 %2: importance %3%4")
                             .arg(kind_name(kind))
                             .arg(layer)
                             .arg(value, is_dropped(plan_, kind, layer) ? tr(" (dropped)") : QString());
  const bool labelled = set >= 0 && set < row_sets() && !sets_[set].label.isEmpty();
  return labelled ? sets_[set].label + ": " + module : module;
}

QWidget* ImportanceHeatmap::plot_widget() const {
  return plot_;
}

bool ImportanceHeatmap::save(const QString& path, QString* error) const {
  return save_plot(plot_, path, tr("Importance map"), 800, 150 + 150 * std::max(1, row_sets()), error);
}

}  // namespace llmdrop::widgets
