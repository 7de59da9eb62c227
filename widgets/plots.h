#pragma once
// What every plot of the workbench shares: its series colours, its empty state, a legend that never covers
// data, readable log-scale ticks, export as PNG, PDF or SVG (by the file's suffix), and a description of
// what it draws (for tests, without QCustomPlot types).
#include <QColor>
#include <QList>
#include <QPoint>
#include <QRect>
#include <QString>
#include <QStringList>

class QCPAxis;
class QCustomPlot;
class QWidget;

namespace llmdrop::widgets {

QColor series_colour(int index);  // the index-th series of a plot (configuration, run)

// A plot without data says `message` in place of its axes, legend and colour scale; show_data brings them
// back. Callers replot.
void show_no_data(QCustomPlot* plot, const QString& message);
void show_data(QCustomPlot* plot);
// Moves the legend out of the data area into a row of its own under the plot, entries side by side.
void put_legend_below(QCustomPlot* plot);
// Ticks at 1-2-5 multiples of powers of ten, finer ones (or evenly spaced ones) when the range spans too
// little for four: a log colour scale over less than a decade otherwise shows a single tick.
void use_readable_log_ticks(QCPAxis* axis);

// Writes `plot` at least min_width × min_height pixels (its on-screen size when larger) beside `path` and
// renames it into place, so a failure leaves no partial file. False and a message in `error` on failure.
bool save_plot(QCustomPlot* plot, const QString& path, const QString& title, int min_width, int min_height,
               QString* error = nullptr);

// A plot as drawn at its last replot, in its own pixels.
struct PlotReport {
  bool has_data = false;
  QString message;  // what it says instead, without data
  bool axes_visible = false, legend_visible = false;
  QRect data_area, legend;         // legend: null when hidden
  QString key_label, value_label;  // the titles of the data's key and value axes
  double value_lower = 0, value_upper = 0;
  QList<QPoint> data_points;         // graph points and bar tops
  QStringList category_labels;       // tick labels of a bar chart's key axis, in order
  QList<int> category_positions;     // where they are along that axis
  bool categories_vertical = false;  // the key axis is the left one (labels left of the data area)
  QList<double> colour_ticks;        // ticks shown on a colour scale
};
PlotReport describe_plot(const QWidget* plot);  // `plot` is a QCustomPlot

}  // namespace llmdrop::widgets
