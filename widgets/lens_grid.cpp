#include "lens_grid.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace llmdrop::widgets {

namespace {
// Whitespace made visible, so that " the" and "the" differ in a cell.
QString visible(QString text) {
  return text.replace(QLatin1Char(' '), QStringLiteral("·")).replace(QLatin1Char('\n'), QStringLiteral("⏎"));
}
}  // namespace

LensGrid::LensGrid(QWidget* parent)
    : QWidget(parent),
      prompt_(new QLineEdit(tr("The capital of France is"), this)),
      top_k_(new QSpinBox(this)),
      show_(new QPushButton(tr("Show lens"), this)),
      table_(new QTableWidget(this)),
      message_(new QLabel(this)) {
  top_k_->setRange(1, 20);
  top_k_->setValue(5);
  top_k_->setToolTip(tr("Predictions listed when hovering a cell"));
  prompt_->setToolTip(tr("The lens is recomputed whenever the plan changes"));
  auto* controls = new QHBoxLayout;
  controls->addWidget(new QLabel(tr("Prompt"), this));
  controls->addWidget(prompt_, 1);
  controls->addWidget(new QLabel(tr("top"), this));
  controls->addWidget(top_k_);
  controls->addWidget(show_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(controls);
  layout->addWidget(message_);
  layout->addWidget(table_, 1);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionMode(QAbstractItemView::NoSelection);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  message_->setWordWrap(true);
  message_->setToolTip(
      tr("The logit lens: the model's final norm and output head applied to the residual stream after each "
         "sub-layer, as if the model stopped there. Watch where the right answer first appears, and what a "
         "dropped module changes."));
  show_message(tr("Type a prompt and show what the model would predict after every attention and MLP."));
  connect(show_, &QPushButton::clicked, this, &LensGrid::lensRequested);
  connect(prompt_, &QLineEdit::returnPressed, this, &LensGrid::lensRequested);
}

QString LensGrid::prompt() const {
  return prompt_->text();
}

int LensGrid::top_k() const {
  return top_k_->value();
}

void LensGrid::set_prompt(const QString& prompt) {
  prompt_->setText(prompt);
}

void LensGrid::set_running(bool running) {
  show_->setEnabled(!running);
  show_->setText(running ? tr("Computing…") : tr("Show lens"));
}

QColor LensGrid::shade(double probability) {
  const double t = std::sqrt(std::clamp(probability, 0.0, 1.0));
  // From white to RGB(33, 102, 172).
  return QColor::fromRgbF(1 - t * (1 - 33 / 255.0), 1 - t * (1 - 102 / 255.0), 1 - t * (1 - 172 / 255.0));
}

void LensGrid::show_lens(const std::vector<LensRow>& rows, const QStringList& prompt,
                         const std::function<QString(int64_t)>& token_text) {
  table_->clear();
  table_->setRowCount(static_cast<int>(rows.size()));
  table_->setColumnCount(static_cast<int>(prompt.size()));
  QStringList columns;
  for (const QString& token : prompt) columns << visible(token);
  table_->setHorizontalHeaderLabels(columns);
  QStringList labels;
  for (size_t r = 0; r < rows.size(); ++r) {
    const LensRow& row = rows[r];
    labels << (row.after_mlp ? tr("%1 MLP") : tr("%1 attention")).arg(row.layer) +
                  (row.dropped ? tr(" (dropped)") : QString());
    for (size_t t = 0; t < row.predictions.size() && t < size_t(prompt.size()); ++t) {
      const LensPrediction& p = row.predictions[t];
      if (p.ids.empty()) continue;
      auto* item = new QTableWidgetItem(visible(token_text(p.ids.front())));
      QStringList top;
      for (size_t j = 0; j < p.ids.size(); ++j)
        top << tr("%1  %2 %").arg(visible(token_text(p.ids[j]))).arg(100 * p.probs[j], 0, 'f', 1);
      item->setToolTip(tr("After %1, position %2 (%3):\n%4")
                           .arg(labels.back())
                           .arg(t)
                           .arg(columns[static_cast<int>(t)], top.join(QLatin1Char('\n'))));
      item->setBackground(row.dropped ? QColor(225, 225, 225) : shade(p.probs.front()));
      item->setForeground(!row.dropped && p.probs.front() > 0.5 ? Qt::white : Qt::black);
      if (row.dropped) {
        QFont font = item->font();
        font.setItalic(true);
        item->setFont(font);
      }
      table_->setItem(static_cast<int>(r), static_cast<int>(t), item);
    }
  }
  table_->setVerticalHeaderLabels(labels);
  message_->setText(tr("Each cell: the next token the model would predict if it stopped after that sub-layer "
                       "(final norm and head applied), shaded by its probability; hover for the top %1.")
                        .arg(rows.empty() || rows.front().predictions.empty()
                                 ? 0
                                 : rows.front().predictions.front().ids.size()));
  table_->show();
}

void LensGrid::show_message(const QString& message) {
  table_->clear();
  table_->setRowCount(0);
  table_->setColumnCount(0);
  table_->hide();
  message_->setText(message);
}

QString LensGrid::message() const {
  return message_->text();
}

int LensGrid::rows() const {
  return table_->rowCount();
}

int LensGrid::positions() const {
  return table_->columnCount();
}

QString LensGrid::row_label(int row) const {
  const QTableWidgetItem* item = table_->verticalHeaderItem(row);
  return item ? item->text() : QString();
}

QString LensGrid::cell_text(int row, int position) const {
  const QTableWidgetItem* item = table_->item(row, position);
  return item ? item->text() : QString();
}

QString LensGrid::cell_tooltip(int row, int position) const {
  const QTableWidgetItem* item = table_->item(row, position);
  return item ? item->toolTip() : QString();
}

QColor LensGrid::cell_colour(int row, int position) const {
  const QTableWidgetItem* item = table_->item(row, position);
  return item ? item->background().color() : QColor();
}

}  // namespace llmdrop::widgets
