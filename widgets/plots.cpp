#include "plots.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSvgGenerator>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <vector>

namespace llmdrop::widgets {

namespace {

constexpr char kNoDataItem[] = "no-data";
constexpr char kHasLegend[] = "llmdrop-has-legend";  // a property: show_data brings the legend back

QCPItemText* no_data_item(QCustomPlot* plot) {
  return plot->findChild<QCPItemText*>(QLatin1String(kNoDataItem), Qt::FindDirectChildrenOnly);
}

QList<QCPColorScale*> colour_scales(const QCustomPlot* plot) {
  QList<QCPColorScale*> scales;
  for (QCPLayoutElement* element : plot->plotLayout()->elements(true))
    if (auto* scale = qobject_cast<QCPColorScale*>(element)) scales << scale;
  return scales;
}

void show_frame(QCustomPlot* plot, bool visible) {
  for (QCPAxis* axis : plot->axisRect()->axes(QCPAxis::atLeft | QCPAxis::atBottom)) {
    axis->setVisible(visible);
    axis->grid()->setVisible(visible);
  }
  plot->legend->setVisible(visible && plot->property(kHasLegend).toBool());
  for (QCPColorScale* scale : colour_scales(plot)) scale->setVisible(visible);
}

class ReadableLogTicker : public QCPAxisTicker {
 protected:
  QVector<double> createTickVector(double, const QCPRange& range) override {
    constexpr int kMinTicks = 4;
    // Coarsest first: powers of ten, then 1-2-5, then finer multiples.
    static const std::vector<std::vector<double>> multiples = {
        {1}, {1, 2, 5}, {1, 2, 3, 5, 7}, {1, 2, 3, 4, 5, 6, 7, 8, 9}};
    if (range.lower > 0 && range.upper > range.lower) {
      const int first = int(std::floor(std::log10(range.lower))),
                last = int(std::ceil(std::log10(range.upper)));
      for (const auto& steps : multiples) {
        QVector<double> ticks;
        for (int exponent = first; exponent <= last; ++exponent)
          for (double m : steps)
            if (const double tick = m * std::pow(10.0, exponent);
                tick >= range.lower * (1 - 1e-9) && tick <= range.upper * (1 + 1e-9))
              ticks << tick;
        if (ticks.size() >= kMinTicks) return ticks;
      }
    }
    // Less than a factor of about two: the scale is nearly linear there, so are its ticks (1-2-5 steps of at
    // most a quarter of the range).
    const double quarter = (range.upper - range.lower) / kMinTicks;
    if (!(quarter > 0) || !std::isfinite(quarter)) return {range.lower};
    const double magnitude = std::pow(10.0, std::floor(std::log10(quarter)));
    const double step = quarter >= 5 * magnitude   ? 5 * magnitude
                        : quarter >= 2 * magnitude ? 2 * magnitude
                                                   : magnitude;
    QVector<double> ticks;
    for (double i = std::ceil(range.lower / step); i * step <= range.upper; ++i) ticks << i * step;
    return ticks;
  }
  // As many digits as the tick has (0.055, 0.932), none of the floating-point noise.
  QString getTickLabel(double tick, const QLocale& locale, QChar, int) override {
    return locale.toString(tick, 'g', 6);
  }
};

}  // namespace

void show_no_data(QCustomPlot* plot, const QString& message) {
  QCPItemText* text = no_data_item(plot);
  if (!text) {
    text = new QCPItemText(plot);
    text->setObjectName(QLatin1String(kNoDataItem));
    text->setClipToAxisRect(false);
    text->position->setType(QCPItemPosition::ptViewportRatio);
    text->position->setCoords(0.5, 0.5);
    text->setPositionAlignment(Qt::AlignCenter);
    text->setColor(plot->palette().color(QPalette::PlaceholderText));
  }
  text->setText(message);
  text->setVisible(true);
  show_frame(plot, false);
}

void show_data(QCustomPlot* plot) {
  if (QCPItemText* text = no_data_item(plot)) text->setVisible(false);
  show_frame(plot, true);
}

void put_legend_below(QCustomPlot* plot) {
  plot->axisRect()->insetLayout()->take(plot->legend);
  plot->axisRect()->insetLayout()->simplify();
  const int row = plot->plotLayout()->rowCount();
  plot->plotLayout()->addElement(row, 0, plot->legend);
  plot->plotLayout()->setRowStretchFactor(row, 0.001);  // as tall as its entries
  plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  plot->legend->setWrap(3);
  plot->legend->setBorderPen(Qt::NoPen);
  plot->legend->setMargins(QMargins(4, 0, 4, 2));
  plot->setProperty(kHasLegend, true);
  plot->legend->setVisible(true);
}

void use_readable_log_ticks(QCPAxis* axis) {
  axis->setTicker(QSharedPointer<QCPAxisTicker>(new ReadableLogTicker));
  axis->setSubTicks(false);  // evenly spaced sub-ticks between uneven ticks mislead
}

QColor series_colour(int index) {
  static const QColor colours[] = {QColor(31, 119, 180), QColor(214, 39, 40), QColor(44, 160, 44),
                                   QColor(148, 103, 189), QColor(255, 127, 14)};
  return colours[index % std::size(colours)];
}

bool save_plot(QCustomPlot* plot, const QString& path, const QString& title, int min_width, int min_height,
               QString* error) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  const int w = std::max(plot->width(), min_width), h = std::max(plot->height(), min_height);
  // QCustomPlot writes in place; write beside the target and rename.
  const QString partial = QFileInfo(path).dir().filePath(
      QStringLiteral(".%1.partial.%2").arg(QFileInfo(path).completeBaseName(), suffix));
  bool ok = false;
  if (suffix == QLatin1String("png")) {
    ok = plot->savePng(partial, w, h, 2.0);
  } else if (suffix == QLatin1String("pdf")) {
    ok = plot->savePdf(partial, w, h);
  } else if (suffix == QLatin1String("svg")) {
    QSvgGenerator svg;
    svg.setFileName(partial);
    svg.setSize(QSize(w, h));
    svg.setViewBox(QRect(0, 0, w, h));
    svg.setTitle(title);
    QCPPainter painter;
    ok = painter.begin(&svg);
    if (ok) {
      plot->toPainter(&painter, w, h);
      ok = painter.end();
    }
  } else {
    if (error)
      *error = QCoreApplication::translate("llmdrop::widgets::PlotExport",
                                           "unknown image format '%1' (use .png, .pdf or .svg)")
                   .arg(suffix);
    return false;
  }
  std::error_code renamed;
  if (ok) std::filesystem::rename(partial.toStdString(), path.toStdString(), renamed);  // replaces atomically
  if (!ok || renamed) {
    QFile::remove(partial);
    if (error)
      *error = QCoreApplication::translate("llmdrop::widgets::PlotExport", "cannot write %1").arg(path);
    return false;
  }
  return true;
}

PlotReport describe_plot(const QWidget* widget) {
  PlotReport report;
  auto* plot = const_cast<QCustomPlot*>(qobject_cast<const QCustomPlot*>(widget));
  if (!plot) return report;
  const QCPItemText* text = no_data_item(plot);
  report.has_data = !text || !text->visible();
  if (!report.has_data) report.message = text->text();
  report.axes_visible = plot->xAxis->visible() && plot->yAxis->visible();
  report.legend_visible = plot->legend->visible();
  if (report.legend_visible) report.legend = plot->legend->outerRect();
  report.data_area = plot->axisRect()->rect();
  QCPAxis *key = plot->xAxis, *value = plot->yAxis;
  if (plot->plottableCount() > 0)
    key = plot->plottable(0)->keyAxis(), value = plot->plottable(0)->valueAxis();
  report.key_label = key->label();
  report.value_label = value->label();
  report.value_lower = value->range().lower;
  report.value_upper = value->range().upper;
  for (int i = 0; i < plot->plottableCount(); ++i)
    if (QCPPlottableInterface1D* data = plot->plottable(i)->interface1D())
      for (int j = 0; j < data->dataCount(); ++j) report.data_points << data->dataPixelPosition(j).toPoint();
  if (plot->plottableCount() > 0 && qobject_cast<QCPBars*>(plot->plottable(0))) {
    report.categories_vertical = key->orientation() == Qt::Vertical;
    const QVector<double> ticks = key->tickVector();
    const QVector<QString> labels = key->tickVectorLabels();
    for (int i = 0; i < ticks.size(); ++i)
      if (key->range().contains(ticks[i])) {
        report.category_labels << labels.value(i);
        report.category_positions << int(key->coordToPixel(ticks[i]));
      }
  }
  for (const QCPColorScale* scale : colour_scales(plot))
    if (scale->visible())
      for (double tick : scale->axis()->tickVector())
        if (scale->axis()->range().contains(tick)) report.colour_ticks << tick;
  return report;
}

}  // namespace llmdrop::widgets
