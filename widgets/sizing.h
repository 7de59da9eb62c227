#pragma once
// Sizes that keep the window within a small screen: labels that wrap instead of widening their layout, and
// tables exactly as tall as a number of rows.
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>

namespace llmdrop::widgets {

// A label for text of any length (messages, errors, paths): it wraps within the width its layout gives it and
// never asks for more, so a long message cannot widen the window.
inline QLabel* wrapping_label(QWidget* parent) {
  auto* label = new QLabel(parent);
  label->setWordWrap(true);
  QSizePolicy policy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  policy.setHeightForWidth(true);
  label->setSizePolicy(policy);
  return label;
}

// The height that shows the header and `rows` rows of `table` (rows of its default height).
inline int height_for_rows(const QTableWidget* table, int rows) {
  const int header =
      table->horizontalHeader()->isHidden() ? 0 : table->horizontalHeader()->sizeHint().height();
  return header + rows * table->verticalHeader()->defaultSectionSize() + 2 * table->frameWidth();
}

}  // namespace llmdrop::widgets
