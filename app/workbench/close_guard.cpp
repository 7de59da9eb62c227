#include "close_guard.h"

#include <QMessageBox>
#include <QPushButton>
#include <QUndoStack>

#include "eval_panel.h"
#include "main_window.h"
#include "window_menus.h"

namespace llmdrop::workbench {

void CloseGuard::mark_saved() {
  window_->undo_stack()->setClean();
  saved_results_ = window_->eval_panel()->result_columns();
}

bool CloseGuard::unsaved() const {
  return !window_->undo_stack()->isClean() || window_->eval_panel()->result_columns() != saved_results_;
}

bool CloseGuard::allow_close() {
  if (discarded_ || !unsaved()) return true;
  if (question_) return false;
  question_ = new QMessageBox(QMessageBox::Question, tr("Unsaved changes"),
                              tr("The drop plan or the evaluation results changed since the project was last "
                                 "saved. Save them as a project before closing?"),
                              QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, window_);
  question_->setDefaultButton(QMessageBox::Save);
  question_->setAttribute(Qt::WA_DeleteOnClose);
  QObject::connect(question_, &QMessageBox::finished, window_, [this](int answer) {
    if (answer == QMessageBox::Discard) discarded_ = true;
    if (answer == QMessageBox::Discard ||
        (answer == QMessageBox::Save && WindowMenus::save_project_as(window_)))
      window_->close();
  });
  question_->open();
  return false;
}

}  // namespace llmdrop::workbench
