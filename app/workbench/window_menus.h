#pragma once
// The main window's menus: File (models, projects, exports, plot images), Edit (undo, redo), Device and
// Precision (exclusive choices), View (the docks, the pages) and Help. Each action reports what it throws
// through the window (MainWindow::guarded).
#include <QCoreApplication>
#include <QList>
#include <functional>
#include <string>
#include <vector>

class QDockWidget;

namespace llmdrop::workbench {

class MainWindow;

class WindowMenus {
  // Its strings were the main window's: they keep that translation context.
  Q_DECLARE_TR_FUNCTIONS(llmdrop::workbench::MainWindow)

 public:
  static void add(MainWindow* window, const QList<QDockWidget*>& docks);
  // Asks where, then saves the project there; false when not saved (cancelled, or an error shown).
  static bool save_project_as(MainWindow* window);

 private:
  static void add_file_menu(MainWindow* window);
  static void add_view_menu(MainWindow* window, const QList<QDockWidget*>& docks);
  // `choose` applies one of `names` or says why it cannot; then the check mark goes back to `current`. Each
  // entry reads label(name), made again whenever the menu opens (e.g. a device's free memory).
  static void add_choice_menu(
      MainWindow* window, const QString& title, const std::vector<std::string>& names,
      const QString& (MainWindow::*current)() const, bool (MainWindow::*choose)(const QString&, QString*),
      const std::function<std::string(const std::string&)>& label = [](const std::string& name) {
        return name;
      });
};

}  // namespace llmdrop::workbench
