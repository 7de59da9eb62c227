#pragma once
// How the workbench reports to its user outside the status bar.
#include <QMessageBox>

namespace llmdrop::workbench {

// A non-modal warning: the window stays usable (and tests never wait on a dialog).
inline void warn(QWidget* parent, const QString& title, const QString& message) {
  auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, parent);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

}  // namespace llmdrop::workbench
