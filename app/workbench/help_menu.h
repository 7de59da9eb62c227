#pragma once
// The Help menu: the workflow in short (the README's), the keyboard shortcuts (read from the menus, so the
// list is never stale) and About (the version CMake's project() gives). Each opens a non-blocking message
// box.
#include <QCoreApplication>

class QMainWindow;

namespace llmdrop::workbench {

class HelpMenu {
  // Its strings were the main window's: they keep that translation context.
  Q_DECLARE_TR_FUNCTIONS(llmdrop::workbench::MainWindow)

 public:
  static QString version();  // "0.1.0"
  static void add(QMainWindow* window);
  static QString workflow_text();
  static QString shortcuts_text(const QMainWindow* window);  // "File › Open model…: Ctrl+O", one a line
  static QString about_text();
};

}  // namespace llmdrop::workbench
