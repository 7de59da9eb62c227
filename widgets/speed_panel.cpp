#include "speed_panel.h"

#include "plots.h"
#include "sizing.h"

#include <qcustomplot.h>

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>

namespace llmdrop::widgets {

namespace {
enum Column { Config, Context, Prefill, Decode, Kv, Speedup, Columns };
}  // namespace

SpeedPanel::SpeedPanel(QWidget* parent)
    : QWidget(parent),
      contexts_(new QLineEdit(QStringLiteral("32,64,128,256,512"), this)),
      new_tokens_(new QSpinBox(this)),
      measure_(new QPushButton(tr("Measure"), this)),
      clear_(new QPushButton(tr("Clear"), this)),
      message_(wrapping_label(this)),
      decode_plot_(new QCustomPlot(this)),
      memory_plot_(new QCustomPlot(this)),
      table_(new QTableWidget(0, Columns, this)) {
  new_tokens_->setRange(1, 4096);
  new_tokens_->setValue(32);
  contexts_->setToolTip(tr("Prefill lengths, one round each"));
  auto* inputs = new QFormLayout;
  inputs->addRow(tr("Contexts"), contexts_);
  inputs->addRow(tr("New tokens"), new_tokens_);
  inputs->addRow(measure_);
  inputs->addRow(clear_);
  inputs->addRow(message_);
  decode_plot_->xAxis->setLabel(tr("context (tokens)"));
  decode_plot_->yAxis->setLabel(tr("decode speed (tokens/s)"));
  put_legend_below(decode_plot_);
  // Horizontal bars: each configuration's name reads left of its bar, however long.
  memory_plot_->xAxis->setLabel(tr("KV cache at the largest context (MiB)"));
  memory_plot_->yAxis->setLabel(tr("configuration"));
  memory_plot_->yAxis->setRangeReversed(true);  // in the table's order, top to bottom
  memory_plot_->yAxis->grid()->setVisible(false);
  for (QCustomPlot* plot : {decode_plot_, memory_plot_}) plot->setMinimumHeight(150);
  table_->setHorizontalHeaderLabels({tr("Configuration"), tr("Context"), tr("Prefill tok/s"),
                                     tr("Decode tok/s"), tr("KV cache MiB"), tr("Decode speedup")});
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);  // no clipped header
  table_->horizontalHeader()->setSectionResizeMode(Config, QHeaderView::Stretch);
  table_->verticalHeader()->hide();
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setMinimumHeight(90);
  auto* plots = new QSplitter(Qt::Horizontal, this);
  plots->addWidget(decode_plot_);
  plots->addWidget(memory_plot_);
  plots->setStretchFactor(0, 3);
  plots->setStretchFactor(1, 2);
  auto* right = new QSplitter(Qt::Vertical, this);
  right->addWidget(plots);
  right->addWidget(table_);
  right->setStretchFactor(0, 2);
  right->setStretchFactor(1, 1);
  right->setChildrenCollapsible(false);
  auto* layout = new QHBoxLayout(this);
  layout->addLayout(inputs);
  layout->addWidget(right, 1);
  render();
  connect(measure_, &QPushButton::clicked, this, &SpeedPanel::measureRequested);
  connect(clear_, &QPushButton::clicked, this, &SpeedPanel::clear_results);
}

void SpeedPanel::set_rounds(const QString& contexts, int new_tokens) {
  contexts_->setText(contexts);
  new_tokens_->setValue(new_tokens);
}

std::optional<std::vector<SpeedRound>> SpeedPanel::rounds(QString* error) const {
  std::vector<SpeedRound> out;
  for (const QString& item : contexts_->text().split(',', Qt::SkipEmptyParts)) {
    bool ok = false;
    const qlonglong context = item.trimmed().toLongLong(&ok);
    if (!ok || context < 1) {
      if (error) *error = tr("contexts must be positive integers separated by commas, e.g. 32,64,128");
      return std::nullopt;
    }
    out.push_back({context, new_tokens_->value()});
  }
  if (out.empty()) {
    if (error) *error = tr("give at least one context length");
    return std::nullopt;
  }
  return out;
}

void SpeedPanel::set_running(bool running) {
  measure_->setEnabled(!running);
  if (running) message_->setText(tr("Measuring…"));
}

void SpeedPanel::show_message(const QString& message) {
  message_->setText(message);
}

QString SpeedPanel::message() const {
  return message_->text();
}

namespace {
bool same_rounds(const std::vector<SpeedResult>& measured, const std::vector<SpeedRound>& rounds) {
  if (measured.size() != rounds.size()) return false;
  for (size_t r = 0; r < rounds.size(); ++r)
    if (measured[r].context != rounds[r].context || measured[r].new_tokens != rounds[r].new_tokens)
      return false;
  return true;
}
std::vector<SpeedRound> rounds_of(const std::vector<SpeedResult>& measured) {
  std::vector<SpeedRound> rounds;
  for (const SpeedResult& x : measured) rounds.push_back({x.context, x.new_tokens});
  return rounds;
}
}  // namespace

bool SpeedPanel::shows(const QString& label, const std::vector<SpeedRound>& rounds) const {
  const int c = labels_.indexOf(label);
  return c >= 0 && same_rounds(results_[c], rounds);
}

void SpeedPanel::add_results(const QStringList& labels,
                             const std::vector<std::vector<SpeedResult>>& results) {
  if (!results.empty() && !results_.empty() && !same_rounds(results_.front(), rounds_of(results.front())))
    clear_results();
  for (size_t c = 0; c < results.size(); ++c) {
    const int shown = labels_.indexOf(labels.value(int(c)));
    if (shown >= 0) {
      results_[shown] = results[c];
    } else {
      labels_ << labels.value(int(c));
      results_.push_back(results[c]);
    }
  }
  render();
  const int measured = int(results.size()), shown = int(labels_.size());
  const QString what =
      measured == 1 ? tr("Measured 1 configuration") : tr("Measured %1 configurations").arg(measured);
  message_->setText(shown == measured ? what : tr("%1 (%2 shown)").arg(what).arg(shown));
}

void SpeedPanel::clear_results() {
  labels_.clear();
  results_.clear();
  render();
}

void SpeedPanel::render() {
  const QStringList& labels = labels_;
  const std::vector<std::vector<SpeedResult>>& results = results_;
  table_->setRowCount(0);
  decode_plot_->clearGraphs();
  decode_plot_->clearPlottables();
  memory_plot_->clearPlottables();
  if (results.empty()) {
    show_no_data(decode_plot_, tr("No measurements yet: press Measure"));
    show_no_data(memory_plot_, tr("No measurements yet"));
    decode_plot_->replot();
    memory_plot_->replot();
    return;
  }
  show_data(decode_plot_);
  show_data(memory_plot_);
  auto* bars = new QCPBars(memory_plot_->yAxis, memory_plot_->xAxis);
  QSharedPointer<QCPAxisTickerText> names(new QCPAxisTickerText);
  double max_rate = 0, max_context = 0, max_kv = 0;
  for (size_t c = 0; c < results.size(); ++c) {
    QCPGraph* graph = decode_plot_->addGraph();
    graph->setName(labels.value(static_cast<int>(c)));
    graph->setPen(QPen(series_colour(static_cast<int>(c)), 2));
    graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));
    for (size_t r = 0; r < results[c].size(); ++r) {
      const SpeedResult& x = results[c][r];
      const SpeedResult& base = results.front()[r];
      const int row = table_->rowCount();
      table_->insertRow(row);
      const bool oom = x.out_of_memory;
      const QString speedup =
          oom || base.out_of_memory
              ? QString()
              : QStringLiteral("%1×").arg(x.decode_tokens_per_second / base.decode_tokens_per_second, 0, 'f',
                                          2);
      const QStringList cells = {
          labels.value(static_cast<int>(c)),
          QString::number(x.context),
          oom ? tr("out of memory") : QString::number(x.prefill_tokens_per_second, 'f', 1),
          oom ? tr("out of memory") : QString::number(x.decode_tokens_per_second, 'f', 1),
          QString::number(double(x.kv_cache_bytes) / double(1 << 20), 'f', 3),
          speedup};
      for (int col = 0; col < Columns; ++col) table_->setItem(row, col, new QTableWidgetItem(cells[col]));
      if (!oom) {
        graph->addData(double(x.context), x.decode_tokens_per_second);
        max_rate = std::max(max_rate, x.decode_tokens_per_second);
      }
      max_context = std::max(max_context, double(x.context));
    }
    const double kv = results[c].empty() ? 0 : double(results[c].back().kv_cache_bytes) / double(1 << 20);
    bars->addData(double(c + 1), kv);
    names->addTick(double(c + 1), labels.value(static_cast<int>(c)));
    max_kv = std::max(max_kv, kv);
  }
  decode_plot_->xAxis->setRange(0, max_context * 1.05 + 1);
  decode_plot_->yAxis->setRange(0, max_rate * 1.15 + 1e-9);
  memory_plot_->yAxis->setTicker(names);
  memory_plot_->yAxis->setRange(0.4, double(results.size()) + 0.6);
  memory_plot_->xAxis->setRange(0, max_kv * 1.15 + 1e-9);
  decode_plot_->replot();
  memory_plot_->replot();
}

int SpeedPanel::result_rows() const {
  return table_->rowCount();
}

QString SpeedPanel::cell_text(int row, int column) const {
  const auto* item = table_->item(row, column);
  return item ? item->text() : QString();
}

int SpeedPanel::decode_graphs() const {
  return decode_plot_->graphCount();
}

bool SpeedPanel::save(Plot plot, const QString& path, QString* error) const {
  return plot == Plot::decode_speed ? save_plot(decode_plot_, path, tr("Decode speed"), 800, 400, error)
                                    : save_plot(memory_plot_, path, tr("KV cache"), 800, 400, error);
}

}  // namespace llmdrop::widgets
