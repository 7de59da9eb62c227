#pragma once
// The importance map's controls: which metric colours it, and the N least important modules by target
// (attention, MLP, block, or attention and MLP ranked together) and strategy (discrete, consecutive,
// iterative), added to the plan or replacing it. Combinations that cannot be selected (consecutive selection
// of anything but blocks) are not offered.
#include <QWidget>

#include <string>
#include <vector>

#include "analysis/scores.h"

class QComboBox;
class QLineEdit;
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
  // Task importance: the tasks named (comma-separated, as `llmdrop tasks` lists them) and the documents per
  // task (0: all). Shown while that metric is chosen; changing them is a change of metric.
  std::vector<std::string> tasks() const;
  int task_limit() const;
  void set_tasks(const QString& tasks, int limit);
  QString target() const;    // attn | mlp | block | all
  QString strategy() const;  // discrete | consecutive | iterative
  int count() const;
  void set_request(const QString& target, int count, const QString& strategy);
  // Whether the user can choose this target, or this strategy, with the current choice of the other.
  bool offers_target(const QString& target) const;
  bool offers_strategy(const QString& strategy) const;
  void set_busy(bool busy);  // an iterative selection is running
  QPushButton* add_button() const { return add_; }
  QPushButton* replace_button() const { return replace_; }

 signals:
  void metricChanged();
  void addRequested();      // drop the N least important as well
  void replaceRequested();  // drop exactly the N least important

 private:
  void offer_possible_combinations();  // after every change of target or strategy

  QComboBox *metric_, *target_, *strategy_;
  QLineEdit* tasks_;
  QSpinBox *task_limit_, *count_;
  QWidget* task_fields_;
  QPushButton *add_, *replace_;
};

}  // namespace llmdrop::widgets
