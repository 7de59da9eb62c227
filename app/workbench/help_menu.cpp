#include "help_menu.h"

#include <QMainWindow>
#include <QMenuBar>
#include <QMessageBox>
#include <QRegularExpression>

namespace llmdrop::workbench {

namespace {

QString plain(QString text) {  // a menu's text without its mnemonic
  return text.remove(QRegularExpression(QStringLiteral("&(?!&)")));
}

void inform(QMainWindow* window, const QString& title, const QString& text) {
  auto* box = new QMessageBox(QMessageBox::Information, title, text, QMessageBox::Close, window);
  box->setObjectName(QStringLiteral("help"));
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

}  // namespace

QString HelpMenu::version() {
  return QStringLiteral(LLMDROP_VERSION);
}

QString HelpMenu::workflow_text() {
  return tr(
      "1. Open a Hugging Face model folder (File → Open model…); the bundled demo model opens at start.\n"
      "2. The importance map is computed in the background: rows attention / MLP / block, one column per "
      "layer, brighter = more important.\n"
      "3. Click a cell to drop or restore that module, or add the N least important modules to the plan "
      "(or replace the plan with them). Every change is undoable.\n"
      "4. The Model panel shows the plan's impact: parameters, KV cache, the estimated and measured "
      "decode speedup, and the held-out perplexity.\n"
      "5. Evaluate the plan on tasks (Evaluation), measure its speed (Speed), or pin it and compare it "
      "with another plan or model (Compare).\n"
      "6. Save the session as a project, or export the plan as a config.json folder or a pruned "
      "checkpoint (File menu).");
}

QString HelpMenu::shortcuts_text(const QMainWindow* window) {
  QStringList lines;
  for (const QAction* menu : window->menuBar()->actions())
    if (menu->menu())
      for (const QAction* action : menu->menu()->actions())
        if (!action->shortcut().isEmpty())
          lines << tr("%1 › %2: %3")
                       .arg(plain(menu->text()), plain(action->text()),
                            action->shortcut().toString(QKeySequence::NativeText));
  return lines.join('\n');
}

QString HelpMenu::about_text() {
  return tr("LLM-Drop Workbench %1\n\nFind and remove redundant attention layers, MLPs and blocks in "
            "language "
            "models: importance maps, drop plans, their impact, evaluation, speed and comparison.\n\nBuilt "
            "with "
            "Qt %2.")
      .arg(version(), QString::fromLatin1(qVersion()));
}

void HelpMenu::add(QMainWindow* window) {
  QMenu* help = window->menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&Workflow"), QKeySequence::HelpContents, window,
                  [window] { inform(window, tr("Workflow"), workflow_text()); });
  help->addAction(tr("&Keyboard shortcuts"), window,
                  [window] { inform(window, tr("Keyboard shortcuts"), shortcuts_text(window)); });
  help->addSeparator();
  help->addAction(tr("&About LLM-Drop Workbench"), window,
                  [window] { inform(window, tr("About LLM-Drop Workbench"), about_text()); });
}

}  // namespace llmdrop::workbench
