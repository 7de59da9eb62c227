#pragma once
// Whether the session has changes no project file holds (plan edits, evaluation columns), and the question
// the window asks before it closes with such changes: Save (as a project), Discard or Cancel. The question is
// window-modal but never blocks (QDialog::open): offscreen tests and --screenshot runs, which end without
// closing the window, never wait on it.
#include <QCoreApplication>
#include <QPointer>

class QMessageBox;

namespace llmdrop::workbench {

class MainWindow;

class CloseGuard {
  // Its strings were the main window's: they keep that translation context.
  Q_DECLARE_TR_FUNCTIONS(llmdrop::workbench::MainWindow)

 public:
  explicit CloseGuard(MainWindow* window) : window_(window) {}
  void mark_saved();  // what the window shows is a project's, as saved or opened
  bool unsaved() const;
  // From the window's closeEvent: true when it may close now; false when it asks first (or asks already).
  bool allow_close();
  QMessageBox* question() const { return question_; }  // while it is open

 private:
  MainWindow* window_;
  int saved_results_ = 0;  // evaluation columns
  bool discarded_ = false;
  QPointer<QMessageBox> question_;
};

}  // namespace llmdrop::workbench
