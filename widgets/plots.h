#pragma once
// What every plot of the workbench shares: its series colours, and export as PNG, PDF or SVG (by the file's
// suffix).
#include <QColor>
#include <QString>

class QCustomPlot;

namespace llmdrop::widgets {

QColor series_colour(int index);  // the index-th series of a plot (configuration, run)

// Writes `plot` at least min_width × min_height pixels (its on-screen size when larger) beside `path` and
// renames it into place, so a failure leaves no partial file. False and a message in `error` on failure.
bool save_plot(QCustomPlot* plot, const QString& path, const QString& title, int min_width, int min_height,
               QString* error = nullptr);

}  // namespace llmdrop::widgets
