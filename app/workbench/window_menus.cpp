#include "window_menus.h"

#include <QActionGroup>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenuBar>
#include <QUndoStack>

#include "calibration_dialog.h"
#include "compare_view.h"
#include "eval_panel.h"
#include "help_menu.h"
#include "importance_heatmap.h"
#include "importance_map.h"
#include "main_window.h"
#include "messages.h"
#include "model/device_list.h"
#include "session_controller.h"
#include "speed_panel.h"
#include "util/atomic_file.h"

namespace llmdrop::workbench {

void WindowMenus::add(MainWindow* window, const QList<QDockWidget*>& docks) {
  add_file_menu(window);
  QMenu* edit = window->menuBar()->addMenu(tr("&Edit"));
  QAction* undo = window->undo_stack()->createUndoAction(window, tr("&Undo"));
  undo->setShortcut(QKeySequence::Undo);
  QAction* redo = window->undo_stack()->createRedoAction(window, tr("&Redo"));
  redo->setShortcut(QKeySequence::Redo);
  edit->addActions({undo, redo});
  edit->addSeparator();
  edit->addAction(tr("&Calibration text…"), window, [window] {
    if (!window->sessions()->has_model()) return;
    ImportanceMap* map = window->importance_map();
    const int64_t context = window->sessions()->checkpoint().config.max_position_embeddings;
    if (const auto chosen = CalibrationDialog::ask(window, map->calibration(), context))
      map->set_calibration(*chosen);
  });
  // Each device with its free memory; with several GPUs also all of them, the layers placed over them.
  add_choice_menu(window, tr("&Device"), available_devices(), &MainWindow::device, &MainWindow::set_device,
                  describe_device);
  add_choice_menu(window, tr("&Precision"), dtype_names(), &MainWindow::dtype, &MainWindow::set_dtype);
  add_view_menu(window, docks);
  HelpMenu::add(window);
}

void WindowMenus::add_view_menu(MainWindow* window, const QList<QDockWidget*>& docks) {
  QMenu* view = window->menuBar()->addMenu(tr("&View"));
  for (QDockWidget* dock : docks) view->addAction(dock->toggleViewAction());
  view->addSeparator();
  const std::pair<QString, QWidget*> pages[] = {{tr("&Evaluation page"), window->eval_panel()},
                                                {tr("&Speed page"), window->speed_panel()},
                                                {tr("&Compare page"), window->compare_view()}};
  int key = Qt::Key_1;
  for (const auto& [title, page] : pages)
    view->addAction(title, QKeySequence(Qt::CTRL | Qt::Key(key++)), window,
                    [window, page = page] { window->show_tab(page); });
}

bool WindowMenus::save_project_as(MainWindow* window) {
  if (!window->sessions()->has_model()) return false;
  const QString file = QFileDialog::getSaveFileName(window, tr("Save the project"), {},
                                                    tr("LLM-Drop projects (*.llmdrop.json)"));
  if (file.isEmpty()) return false;
  QString error;
  if (window->save_project(file, &error)) return true;
  warn(window, tr("Cannot save the project"), error);
  return false;
}

void WindowMenus::add_file_menu(MainWindow* window) {
  QMenu* file = window->menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Open model…"), QKeySequence::Open, window,
                  window->guarded(tr("Cannot open model"), [window] {
                    const QString dir = QFileDialog::getExistingDirectory(window, tr("Open a model folder"));
                    if (!dir.isEmpty()) window->open_model(dir);
                  }));
  file->addAction(tr("Open &project…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), window,
                  window->guarded(tr("Cannot open project"), [window] {
                    const QString file = QFileDialog::getOpenFileName(
                        window, tr("Open a project"), {}, tr("LLM-Drop projects (*.llmdrop.json *.json)"));
                    if (!file.isEmpty()) window->open_project(file);
                  }));
  file->addAction(tr("&Save project…"), QKeySequence::Save, window,
                  window->guarded(tr("Cannot save the project"), [window] { save_project_as(window); }));
  file->addSeparator();
  for (const bool pruned : {false, true})
    file->addAction(pruned ? tr("Export &pruned checkpoint…") : tr("&Export drop plan (config.json)…"),
                    window, window->guarded(tr("Export failed"), [window, pruned] {
                      if (!window->sessions()->has_model()) return;
                      const QString dir = QFileDialog::getSaveFileName(
                          window, pruned ? tr("Export a pruned checkpoint to a new folder")
                                         : tr("Export the drop plan to a new folder"));
                      if (!dir.isEmpty()) window->export_plan(dir, pruned);
                    }));
  // Every plot exports the same way (widgets/plots.h).
  using SavePlot = std::function<bool(const QString& path, QString* error)>;
  const std::pair<QString, SavePlot> plots[] = {
      {tr("importance map"),
       [window](const QString& path, QString* error) { return window->heatmap()->save(path, error); }},
      {tr("decode-speed plot"),
       [window](const QString& path, QString* error) {
         return window->speed_panel()->save(widgets::SpeedPanel::Plot::decode_speed, path, error);
       }},
      {tr("KV-cache plot"),
       [window](const QString& path, QString* error) {
         return window->speed_panel()->save(widgets::SpeedPanel::Plot::kv_cache, path, error);
       }},
      {tr("evaluation chart"),
       [window](const QString& path, QString* error) {
         return window->eval_panel()->save_chart(path, error);
       }},
  };
  for (const auto& [label, save] : plots)
    file->addAction(
        tr("Export the %1 as an image…").arg(label), window,
        window->guarded(tr("Cannot export the %1").arg(label), [window, label = label, save = save] {
          const QString file = QFileDialog::getSaveFileName(window, tr("Export the %1").arg(label), {},
                                                            tr("Images (*.png *.pdf *.svg)"));
          QString error;
          if (file.isEmpty()) return;
          refuse_output_inside(file.toStdString(), window->project().model_dir, "the model folder");
          if (!save(file, &error)) warn(window, tr("Cannot export the %1").arg(label), error);
        }));
  file->addSeparator();
  // Closing the window (not quitting the application outright) asks about unsaved changes first.
  file->addAction(tr("&Quit"), QKeySequence::Quit, window, &QWidget::close);
}

void WindowMenus::add_choice_menu(MainWindow* window, const QString& title,
                                  const std::vector<std::string>& names,
                                  const QString& (MainWindow::*current)() const,
                                  bool (MainWindow::*choose)(const QString&, QString*),
                                  const std::function<std::string(const std::string&)>& label) {
  QMenu* menu = window->menuBar()->addMenu(title);
  auto* group = new QActionGroup(menu);
  for (const std::string& name : names) {
    const QString value = QString::fromStdString(name);
    QAction* action = menu->addAction(value);
    action->setData(value);
    action->setCheckable(true);
    action->setChecked(value == (window->*current)());
    group->addAction(action);
    QObject::connect(action, &QAction::triggered, window,
                     window->guarded(tr("Cannot use %1").arg(value), [window, value, group, current, choose] {
                       QString error;
                       if ((window->*choose)(value, &error)) return;
                       warn(window, tr("Cannot use %1").arg(value), error);
                       for (QAction* other : group->actions())
                         other->setChecked(other->data().toString() == (window->*current)());
                     }));
  }
  auto relabel = [group, label] {
    for (QAction* action : group->actions())
      action->setText(QString::fromStdString(label(action->data().toString().toStdString())));
  };
  relabel();
  QObject::connect(menu, &QMenu::aboutToShow, menu, relabel);
}

}  // namespace llmdrop::workbench
