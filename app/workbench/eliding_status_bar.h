#pragma once
// A status bar whose message stays on one line and ends in "…" when longer than the bar, the whole message in
// its tooltip: a long message (a path, an error) never runs off the window's edge.
#include <QPainter>
#include <QStatusBar>
#include <QStyleOption>

namespace llmdrop::workbench {

class ElidingStatusBar : public QStatusBar {
 public:
  explicit ElidingStatusBar(QWidget* parent) : QStatusBar(parent) {
    connect(this, &QStatusBar::messageChanged, this, &QWidget::setToolTip);
  }

 protected:
  // The window adds no widgets to its status bar: the panel and the message are all there is to draw.
  void paintEvent(QPaintEvent*) override {
    QPainter painter(this);
    QStyleOption option;
    option.initFrom(this);
    style()->drawPrimitive(QStyle::PE_PanelStatusBar, &option, &painter, this);
    const QRect text = rect().adjusted(6, 0, isSizeGripEnabled() ? -20 : -6, 0);
    painter.setPen(palette().windowText().color());
    painter.drawText(text, Qt::AlignLeading | Qt::AlignVCenter | Qt::TextSingleLine,
                     fontMetrics().elidedText(currentMessage(), Qt::ElideMiddle, text.width()));
  }
};

}  // namespace llmdrop::workbench
