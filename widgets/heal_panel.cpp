#include "heal_panel.h"

#include "plots.h"
#include "sizing.h"

#include <qcustomplot.h>

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <cmath>

namespace llmdrop::widgets {

namespace {
QWidget* with_browse(QLineEdit* edit, QPushButton* browse, QWidget* parent) {
  auto* row = new QWidget(parent);
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(edit, 1);
  layout->addWidget(browse);
  return row;
}
}  // namespace

HealPanel::HealPanel(QWidget* parent)
    : QWidget(parent),
      data_(new QLineEdit(this)),
      out_(new QLineEdit(this)),
      steps_(new QSpinBox(this)),
      batch_size_(new QSpinBox(this)),
      seq_len_(new QSpinBox(this)),
      rank_(new QSpinBox(this)),
      alpha_(new QDoubleSpinBox(this)),
      lr_(new QDoubleSpinBox(this)),
      heal_(new QPushButton(tr("Heal"), this)),
      message_(wrapping_label(this)),
      perplexities_(wrapping_label(this)),
      curve_(new QCustomPlot(this)) {
  steps_->setRange(1, 1000000);
  batch_size_->setRange(1, 4096);
  seq_len_->setRange(2, 1 << 20);
  rank_->setRange(1, 4096);
  alpha_->setRange(0.01, 1e6);
  lr_->setDecimals(6);
  lr_->setRange(1e-6, 1);
  lr_->setSingleStep(1e-4);
  set_settings(Settings{});
  data_->setToolTip(
      tr("Training-style text (JSON Lines with a \"text\" field, or plain text): not the text the perplexity "
         "is measured on"));
  out_->setToolTip(tr("A new folder: the merged checkpoint, and adapter/ in PEFT's layout"));
  lr_->setToolTip(tr("Peak learning rate of AdamW, on a cosine schedule down to zero"));
  alpha_->setToolTip(tr("The adapters' update is scaled by alpha / rank"));
  auto* browse_data = new QPushButton(tr("Browse…"), this);
  auto* browse_out = new QPushButton(tr("Browse…"), this);
  auto* inputs = new QFormLayout;
  inputs->addRow(tr("Training text"), with_browse(data_, browse_data, this));
  inputs->addRow(tr("Output folder"), with_browse(out_, browse_out, this));
  inputs->addRow(tr("Steps"), steps_);
  inputs->addRow(tr("Blocks per step"), batch_size_);
  inputs->addRow(tr("Tokens per block"), seq_len_);
  inputs->addRow(tr("LoRA rank"), rank_);
  inputs->addRow(tr("LoRA alpha"), alpha_);
  inputs->addRow(tr("Learning rate"), lr_);
  inputs->addRow(heal_);
  inputs->addRow(message_);
  auto* note = wrapping_label(this);
  note->setText(
      tr("Healing trains small low-rank adapters (LoRA) on the attention and MLP projections the plan keeps, "
         "with the model's own weights frozen, to win back some of what the drop cost. The curve is the "
         "training loss per step; below it, the held-out perplexity before the drop, with it and after "
         "healing."));
  curve_->setObjectName(QStringLiteral("loss_curve"));
  curve_->xAxis->setLabel(tr("step"));
  curve_->yAxis->setLabel(tr("training loss (nats per token)"));
  curve_->setMinimumHeight(150);
  put_legend_below(curve_);
  auto* right = new QVBoxLayout;
  right->addWidget(curve_, 1);
  right->addWidget(perplexities_);
  right->addWidget(note);
  auto* layout = new QHBoxLayout(this);
  layout->addLayout(inputs);
  layout->addLayout(right, 1);
  clear_curve();
  show_perplexities(std::nullopt, std::nullopt, std::nullopt);
  connect(heal_, &QPushButton::clicked, this, &HealPanel::healRequested);
  connect(browse_data, &QPushButton::clicked, this, &HealPanel::browseDataRequested);
  connect(browse_out, &QPushButton::clicked, this, &HealPanel::browseOutRequested);
}

HealPanel::Settings HealPanel::settings() const {
  return {data_->text().trimmed(), out_->text().trimmed(), steps_->value(), batch_size_->value(),
          seq_len_->value(),       rank_->value(),         alpha_->value(), lr_->value()};
}

void HealPanel::set_settings(const Settings& s) {
  data_->setText(s.data);
  out_->setText(s.out);
  steps_->setValue(s.steps);
  batch_size_->setValue(s.batch_size);
  seq_len_->setValue(s.seq_len);
  rank_->setValue(s.rank);
  alpha_->setValue(s.alpha);
  lr_->setValue(s.lr);
}

void HealPanel::set_running(bool running) {
  heal_->setEnabled(!running);
}

void HealPanel::show_message(const QString& message) {
  message_->setText(message);
}

QString HealPanel::message() const {
  return message_->text();
}

void HealPanel::clear_curve() {
  curve_->clearGraphs();
  show_no_data(curve_, tr("No training yet: choose the text and press Heal"));
  curve_->replot();
}

void HealPanel::add_step(int step, double loss) {
  if (curve_->graphCount() == 0) {
    show_data(curve_);
    QColor light = series_colour(0);
    light.setAlpha(90);
    QCPGraph* raw = curve_->addGraph();
    raw->setPen(QPen(light, 1));
    raw->setName(tr("loss of each step"));
    QCPGraph* smoothed = curve_->addGraph();
    smoothed->setPen(QPen(series_colour(0), 2.5));
    smoothed->setName(tr("smoothed (moving average, weight 0.9)"));
    smoothed_ = 0;
    smoothed_steps_ = 0;
  }
  // An exponential moving average, bias-corrected as TensorBoard's smoothing: a step's loss is noisy.
  smoothed_ = 0.9 * smoothed_ + 0.1 * loss;
  ++smoothed_steps_;
  curve_->graph(0)->addData(step, loss);
  curve_->graph(1)->addData(step, smoothed_loss());
  curve_->rescaleAxes();
  curve_->replot();
}

double HealPanel::smoothed_loss() const {
  return smoothed_steps_ == 0 ? 0 : smoothed_ / (1 - std::pow(0.9, smoothed_steps_));
}

int HealPanel::curve_points() const {
  return curve_->graphCount() == 0 ? 0 : curve_->graph(0)->dataCount();
}

void HealPanel::show_perplexities(std::optional<double> full, std::optional<double> dropped,
                                  std::optional<double> healed) {
  auto value = [](std::optional<double> v) { return v ? QString::number(*v, 'f', 2) : QStringLiteral("–"); };
  perplexities_->setText(tr("Held-out perplexity: full model %1 · with the drops %2 · healed %3")
                             .arg(value(full), value(dropped), value(healed)));
}

QString HealPanel::perplexity_text() const {
  return perplexities_->text();
}

}  // namespace llmdrop::widgets
