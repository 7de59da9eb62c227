#include "window_layout.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QScreen>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace llmdrop::workbench {

namespace {

constexpr int kDockWidth = 380;  // the summary's longest lines, and the jobs table's four columns

QScrollArea* scrolling(QWidget* content, QWidget* parent) {
  auto* area = new QScrollArea(parent);
  area->setWidget(content);
  area->setWidgetResizable(true);
  area->setFrameShape(QFrame::NoFrame);
  return area;
}

QDockWidget* dock(QMainWindow* window, const QString& title, const QString& name, QWidget* content) {
  auto* dock = new QDockWidget(title, window);
  dock->setObjectName(name);
  dock->setWidget(content);
  window->addDockWidget(Qt::LeftDockWidgetArea, dock);
  return dock;
}

}  // namespace

void WindowLayout::arrange(QMainWindow* window, const Parts& parts) {
  auto* model = new QWidget;
  auto* model_layout = new QVBoxLayout(model);
  model_layout->addWidget(parts.impact);  // what the plan changes first: it moves with every click
  model_layout->addWidget(parts.summary);
  model_layout->addStretch(1);
  QDockWidget* model_dock = dock(window, tr("Model"), QStringLiteral("model"), scrolling(model, window));
  QDockWidget* jobs_dock = dock(window, tr("Jobs"), QStringLiteral("jobs"), parts.jobs);
  window->splitDockWidget(model_dock, jobs_dock, Qt::Vertical);
  window->setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
  window->resizeDocks({model_dock, jobs_dock}, {kDockWidth, kDockWidth}, Qt::Horizontal);
  window->resizeDocks({model_dock, jobs_dock}, {3, 2}, Qt::Vertical);

  auto* map = new QWidget;
  auto* map_layout = new QVBoxLayout(map);
  map_layout->setContentsMargins(0, 0, 0, 0);
  map_layout->addWidget(parts.drop_control);
  map_layout->addWidget(parts.heatmap, 1);
  parts.heatmap->setMinimumHeight(150);
  auto* central = new QSplitter(Qt::Vertical, window);
  central->addWidget(map);
  central->addWidget(parts.pages);
  central->setStretchFactor(0, 2);
  central->setStretchFactor(1, 3);
  central->setChildrenCollapsible(false);
  window->setCentralWidget(central);
}

void WindowLayout::add_page(QTabWidget* pages, QWidget* page, const QString& title) {
  pages->addTab(scrolling(page, pages), title);
}

void WindowLayout::show_page(QTabWidget* pages, QWidget* page) {
  for (int i = 0; i < pages->count(); ++i)
    if (auto* area = qobject_cast<QScrollArea*>(pages->widget(i)); area && area->widget() == page)
      pages->setCurrentIndex(i);
}

QSize WindowLayout::initial_size(const QWidget* window) {
  const QSize wanted(1366, 768);
  const QScreen* screen = window->screen();
  return screen ? wanted.boundedTo(screen->availableSize()) : wanted;
}

}  // namespace llmdrop::workbench
