#pragma once
// The importance map's controls: which metric colours it, and "drop the N least important" by target
// (attention, MLP, block, or attention and MLP ranked together) and strategy (discrete, consecutive,
// iterative).
#include <QWidget>

#include "analysis/scores.h"

class QComboBox;
class QPushButton;
class QSpinBox;

namespace llmdrop::widgets {

class DropControl : public QWidget {
  Q_OBJECT
 public:
  explicit DropControl(QWidget* parent = nullptr);

  void set_layers(int layers);  // the largest N
  Metric metric() const;
  void set_metric(Metric metric);
  QString target() const;    // attn | mlp | block | all
  QString strategy() const;  // discrete | consecutive | iterative
  int count() const;
  void set_request(const QString& target, int count, const QString& strategy);
  void set_busy(bool busy);  // an iterative selection is running
  QPushButton* drop_button() const { return drop_; }

 signals:
  void metricChanged();
  void dropRequested();

 private:
  QComboBox *metric_, *target_, *strategy_;
  QSpinBox* count_;
  QPushButton* drop_;
};

}  // namespace llmdrop::widgets
