#include "drop_control.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace llmdrop::widgets {

DropControl::DropControl(QWidget* parent)
    : QWidget(parent),
      metric_(new QComboBox(this)),
      target_(new QComboBox(this)),
      strategy_(new QComboBox(this)),
      count_(new QSpinBox(this)),
      drop_(new QPushButton(tr("Drop"), this)) {
  metric_->addItem(tr("cosine"), QStringLiteral("cosine"));
  metric_->addItem(tr("angular"), QStringLiteral("angular"));
  metric_->addItem(tr("NLL increase (measured)"), QStringLiteral("nll-delta"));
  target_->addItem(tr("attention layers"), QStringLiteral("attn"));
  target_->addItem(tr("MLP layers"), QStringLiteral("mlp"));
  target_->addItem(tr("blocks"), QStringLiteral("block"));
  target_->addItem(tr("attention or MLP (joint)"), QStringLiteral("all"));
  strategy_->addItem(tr("discrete (one scoring)"), QStringLiteral("discrete"));
  strategy_->addItem(tr("consecutive blocks"), QStringLiteral("consecutive"));
  strategy_->addItem(tr("iterative (re-score after each)"), QStringLiteral("iterative"));
  count_->setRange(1, 1);
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(new QLabel(tr("Metric"), this));
  row->addWidget(metric_);
  row->addSpacing(16);
  row->addWidget(drop_);
  row->addWidget(count_);
  row->addWidget(new QLabel(tr("least important"), this));
  row->addWidget(target_);
  row->addWidget(new QLabel(tr("by"), this));
  row->addWidget(strategy_);
  row->addStretch(1);
  connect(metric_, &QComboBox::currentIndexChanged, this, &DropControl::metricChanged);
  connect(drop_, &QPushButton::clicked, this, &DropControl::dropRequested);
}

void DropControl::set_layers(int layers) {
  count_->setRange(1, std::max(1, layers));
}

Metric DropControl::metric() const {
  return parse_metric(metric_->currentData().toString().toStdString());
}

void DropControl::set_metric(Metric metric) {
  const int index = metric_->findData(QString::fromUtf8(to_string(metric)));
  if (index >= 0) metric_->setCurrentIndex(index);
}

QString DropControl::target() const {
  return target_->currentData().toString();
}

QString DropControl::strategy() const {
  return strategy_->currentData().toString();
}

int DropControl::count() const {
  return count_->value();
}

void DropControl::set_request(const QString& target, int count, const QString& strategy) {
  target_->setCurrentIndex(std::max(0, target_->findData(target)));
  count_->setValue(count);
  strategy_->setCurrentIndex(std::max(0, strategy_->findData(strategy)));
}

void DropControl::set_busy(bool busy) {
  drop_->setEnabled(!busy);
}

}  // namespace llmdrop::widgets
