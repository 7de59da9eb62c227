#include "calibration_dialog.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace llmdrop::workbench {

std::optional<ImportanceMap::Calibration> CalibrationDialog::ask(QWidget* parent,
                                                                 const ImportanceMap::Calibration& current,
                                                                 int64_t max_seq_len) {
  QDialog dialog(parent);
  dialog.setWindowTitle(tr("Calibration text"));
  auto* file = new QLineEdit(QString::fromStdString(current.data.string()), &dialog);
  file->setPlaceholderText(tr("the bundled held-out text"));
  file->setToolTip(tr("JSON array or JSON Lines of {\"text\": …} (LLM-Drop's c4_demo.json), or a .txt file"));
  auto* browse = new QPushButton(tr("Browse…"), &dialog);
  QObject::connect(browse, &QPushButton::clicked, &dialog, [&dialog, file] {
    const QString chosen = QFileDialog::getOpenFileName(&dialog, tr("Calibration text"), file->text(),
                                                        tr("Text (*.json *.jsonl *.txt);;All files (*)"));
    if (!chosen.isEmpty()) file->setText(chosen);
  });
  auto* file_row = new QHBoxLayout;
  file_row->addWidget(file, 1);
  file_row->addWidget(browse);
  auto* samples = new QSpinBox(&dialog);
  samples->setRange(1, 4096);
  samples->setValue(static_cast<int>(current.samples));
  auto* seq_len = new QSpinBox(&dialog);
  seq_len->setRange(2, static_cast<int>(std::min<int64_t>(max_seq_len, 1 << 20)));
  seq_len->setValue(static_cast<int>(std::min<int64_t>(current.seq_len, max_seq_len)));
  seq_len->setSuffix(tr(" tokens"));
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
  QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
  QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  auto* form = new QFormLayout(&dialog);
  form->addRow(tr("Text"), file_row);
  form->addRow(tr("Blocks"), samples);
  form->addRow(tr("Block length"), seq_len);
  form->addRow(buttons);
  if (dialog.exec() != QDialog::Accepted) return std::nullopt;
  return ImportanceMap::Calibration{file->text().trimmed().toStdString(), samples->value(), seq_len->value()};
}

}  // namespace llmdrop::workbench
