#include "drop_control.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace llmdrop::widgets {

namespace {
QStandardItem* item_of(const QComboBox* combo, const QString& data) {
  return qobject_cast<QStandardItemModel*>(combo->model())->item(combo->findData(data));
}
}  // namespace

DropControl::DropControl(QWidget* parent)
    : QWidget(parent),
      metric_(new QComboBox(this)),
      target_(new QComboBox(this)),
      strategy_(new QComboBox(this)),
      tasks_(new QLineEdit(QStringLiteral("hellaswag,arc_easy"), this)),
      task_limit_(new QSpinBox(this)),
      count_(new QSpinBox(this)),
      task_fields_(new QWidget(this)),
      add_(new QPushButton(tr("Add to plan"), this)),
      replace_(new QPushButton(tr("Replace plan"), this)) {
  metric_->addItem(tr("cosine"), QStringLiteral("cosine"));
  metric_->addItem(tr("angular"), QStringLiteral("angular"));
  metric_->addItem(tr("NLL increase (measured)"), QStringLiteral("nll-delta"));
  metric_->addItem(tr("KL divergence (measured)"), QStringLiteral("kl"));
  metric_->addItem(tr("JS divergence (measured)"), QStringLiteral("js"));
  metric_->addItem(tr("last-token angle (blocks)"), QStringLiteral("angular-last"));
  metric_->addItem(tr("task NLL increase (measured)"), QStringLiteral("task"));
  // What each metric means, in words a teacher can read aloud.
  const QStringList explanations = {
      tr("How alike a module's input and output are (LLM-Drop): a module that barely changes the residual "
         "stream is redundant."),
      tr("The same comparison as an angle (arccos(cos)/π, ShortGPT): 0 for no change, 1 for the opposite "
         "direction."),
      tr("Leave the module out and measure how much worse the model predicts the next token (mean NLL)."),
      tr("Leave the module out and measure how far the predicted next-token distribution moves (FinerCut's "
         "KL divergence)."),
      tr("As KL, but symmetric and bounded by ln 2 (Jensen–Shannon divergence)."),
      tr("The angle between the states before and after a span of blocks, on each text's last token only "
         "(Gromov et al.): the span whose ends point the same way can go. Blocks only."),
      tr("Leave the module out and measure how much worse the model finds each task's correct answers (mean "
         "NLL per answer token): which layers matter for which task, one set of rows per task."),
  };
  for (int i = 0; i < metric_->count() && i < explanations.size(); ++i)
    metric_->setItemData(i, explanations[i], Qt::ToolTipRole);
  target_->addItem(tr("attention layers"), QStringLiteral("attn"));
  target_->addItem(tr("MLP layers"), QStringLiteral("mlp"));
  target_->addItem(tr("blocks"), QStringLiteral("block"));
  target_->addItem(tr("attention or MLP (joint)"), QStringLiteral("all"));
  strategy_->addItem(tr("discrete (one scoring)"), QStringLiteral("discrete"));
  strategy_->addItem(tr("consecutive blocks"), QStringLiteral("consecutive"));
  strategy_->addItem(tr("iterative (re-score after each)"), QStringLiteral("iterative"));
  count_->setRange(1, 1);
  // The choices share the row's width and shrink (eliding their text) before the window must grow.
  for (QComboBox* combo : {metric_, target_, strategy_}) {
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(8);
  }
  for (QComboBox* combo : {target_, strategy_})
    combo->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  metric_->setMinimumContentsLength(16);
  add_->setToolTip(tr("Drop the N least important modules as well as those the plan drops already"));
  replace_->setToolTip(tr("Make the plan exactly the N least important modules"));
  tasks_->setToolTip(tr("Comma-separated task names (Evaluation tab's data folder)"));
  task_limit_->setRange(0, 100000);
  task_limit_->setValue(200);
  task_limit_->setSpecialValueText(tr("all"));
  task_limit_->setToolTip(tr("Documents per task (each MMLU subject)"));
  auto* task_row = new QHBoxLayout(task_fields_);
  task_row->setContentsMargins(0, 0, 0, 0);
  task_row->addWidget(new QLabel(tr("tasks"), task_fields_));
  task_row->addWidget(tasks_, 1);
  task_row->addWidget(new QLabel(tr("documents"), task_fields_));
  task_row->addWidget(task_limit_);
  task_fields_->hide();
  auto* metric_row = new QHBoxLayout;
  metric_row->addWidget(new QLabel(tr("Metric"), this));
  metric_row->addWidget(metric_);
  metric_row->addWidget(task_fields_, 1);
  metric_row->addStretch(1);
  auto* selection_row = new QHBoxLayout;
  selection_row->addWidget(count_);
  selection_row->addWidget(new QLabel(tr("least important"), this));
  selection_row->addWidget(target_);
  selection_row->addWidget(new QLabel(tr("by"), this));
  selection_row->addWidget(strategy_);
  selection_row->addWidget(add_);
  selection_row->addWidget(replace_);
  auto* rows = new QVBoxLayout(this);
  rows->setContentsMargins(0, 0, 0, 0);
  rows->addLayout(metric_row);
  rows->addLayout(selection_row);
  connect(metric_, &QComboBox::currentIndexChanged, this, [this] {
    task_fields_->setVisible(metric() == Metric::Task);
    emit metricChanged();
  });
  connect(tasks_, &QLineEdit::editingFinished, this, &DropControl::metricChanged);
  connect(task_limit_, &QSpinBox::editingFinished, this, &DropControl::metricChanged);
  connect(target_, &QComboBox::currentIndexChanged, this, &DropControl::offer_possible_combinations);
  connect(strategy_, &QComboBox::currentIndexChanged, this, &DropControl::offer_possible_combinations);
  connect(add_, &QPushButton::clicked, this, &DropControl::addRequested);
  connect(replace_, &QPushButton::clicked, this, &DropControl::replaceRequested);
  offer_possible_combinations();
}

void DropControl::offer_possible_combinations() {
  // Consecutive selection drops windows of whole blocks: with any other target it is not offered, nor any
  // other target while it is chosen.
  const bool blocks = target() == QLatin1String("block"),
             consecutive = strategy() == QLatin1String("consecutive");
  QStandardItem* consecutive_item = item_of(strategy_, QStringLiteral("consecutive"));
  consecutive_item->setEnabled(blocks);
  consecutive_item->setToolTip(blocks ? QString()
                                      : tr("Consecutive selection drops whole blocks: choose blocks"));
  for (int i = 0; i < target_->count(); ++i) {
    if (target_->itemData(i).toString() == QLatin1String("block")) continue;
    QStandardItem* item = item_of(target_, target_->itemData(i).toString());
    item->setEnabled(!consecutive);
    item->setToolTip(consecutive ? tr("Consecutive selection drops whole blocks: choose another strategy")
                                 : QString());
  }
}

bool DropControl::offers_target(const QString& target) const {
  const int index = target_->findData(target);
  return index >= 0 && item_of(target_, target)->isEnabled();
}

bool DropControl::offers_strategy(const QString& strategy) const {
  const int index = strategy_->findData(strategy);
  return index >= 0 && item_of(strategy_, strategy)->isEnabled();
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
  task_fields_->setVisible(this->metric() == Metric::Task);
}

std::vector<std::string> DropControl::tasks() const {
  std::vector<std::string> names;
  for (const QString& name : tasks_->text().split(',', Qt::SkipEmptyParts))
    if (!name.trimmed().isEmpty()) names.push_back(name.trimmed().toStdString());
  return names;
}

int DropControl::task_limit() const {
  return task_limit_->value();
}

void DropControl::set_tasks(const QString& tasks, int limit) {
  tasks_->setText(tasks);
  task_limit_->setValue(limit);
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
  // The strategy first when it leaves the target's choice free, the target first otherwise: never an
  // impossible pair on the way.
  strategy_->setCurrentIndex(strategy_->findData(QStringLiteral("discrete")));
  target_->setCurrentIndex(std::max(0, target_->findData(target)));
  count_->setValue(count);
  strategy_->setCurrentIndex(std::max(0, strategy_->findData(strategy)));
}

void DropControl::set_busy(bool busy) {
  add_->setEnabled(!busy);
  replace_->setEnabled(!busy);
}

}  // namespace llmdrop::widgets
