#pragma once
// Every plot of the workbench exports the same way: PNG, PDF or SVG chosen by the file's suffix.
#include <QString>

class QCustomPlot;

namespace llmdrop::widgets {

// Writes `plot` at least min_width × min_height pixels (its on-screen size when larger) beside `path` and
// renames it into place, so a failure leaves no partial file. False and a message in `error` on failure.
bool save_plot(QCustomPlot* plot, const QString& path, const QString& title, int min_width, int min_height,
               QString* error = nullptr);

}  // namespace llmdrop::widgets
