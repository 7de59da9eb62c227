#include "plots.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSvgGenerator>

#include <qcustomplot.h>

#include <algorithm>
#include <filesystem>

namespace llmdrop::widgets {

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

}  // namespace llmdrop::widgets
