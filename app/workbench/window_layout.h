#pragma once
// The main window's layout, made to fit a 1366×768 screen and to shrink gracefully: the model's summary and
// the plan's impact, and the jobs, in docks on the left; the drop control and the importance map above the
// pages (evaluation, speed, compare) in a splitter in the middle. A page scrolls when the window is too small
// for it, so nothing overlaps and nothing makes the window grow.
#include <QCoreApplication>

class QMainWindow;
class QTabWidget;
class QWidget;

namespace llmdrop::workbench {

class WindowLayout {
  // Its strings were the main window's: they keep that translation context.
  Q_DECLARE_TR_FUNCTIONS(llmdrop::workbench::MainWindow)

 public:
  struct Parts {
    QWidget *summary, *impact, *drop_control, *heatmap, *jobs;
    QTabWidget* pages;
  };
  static void arrange(QMainWindow* window, const Parts& parts);
  // Adds `page` to `pages` inside a scroll area; show_page brings it to the front.
  static void add_page(QTabWidget* pages, QWidget* page, const QString& title);
  static void show_page(QTabWidget* pages, QWidget* page);
  // The size a window starts with: 1366×768, or the screen's available size when smaller.
  static QSize initial_size(const QWidget* window);
};

}  // namespace llmdrop::workbench
