#include "eval_panel.h"

#include <qcustomplot.h>

#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "eval/evaluator.h"
#include "eval/task.h"
#include "plots.h"
#include "sizing.h"

namespace llmdrop::widgets {

EvalPanel::EvalPanel(QWidget* parent)
    : QWidget(parent),
      tasks_(new QListWidget(this)),
      data_dir_(new QLineEdit(this)),
      limit_(new QSpinBox(this)),
      run_(new QPushButton(tr("Evaluate"), this)),
      message_(wrapping_label(this)),
      table_(new QTableWidget(this)),
      chart_(new QCustomPlot(this)) {
  for (const auto& name : available_tasks()) {
    auto* item = new QListWidgetItem(QString::fromStdString(name), tasks_);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Unchecked);
  }
  tasks_->setMaximumWidth(180);
  limit_->setRange(0, 1000000);
  limit_->setValue(100);
  limit_->setSpecialValueText(tr("all"));
  limit_->setToolTip(tr("Documents per task (per MMLU subject)"));
  data_dir_->setPlaceholderText(tr("folder holding arc_easy/, hellaswag/, …"));
  auto* browse = new QToolButton(this);
  browse->setText(tr("Browse…"));
  connect(browse, &QToolButton::clicked, this, [this] {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Evaluation data folder"), data_dir_->text());
    if (!dir.isEmpty()) data_dir_->setText(dir);
  });
  auto* dir_row = new QHBoxLayout;
  dir_row->addWidget(data_dir_, 1);
  dir_row->addWidget(browse);
  auto* form = new QFormLayout;
  form->addRow(tr("Data folder"), dir_row);
  form->addRow(tr("Documents"), limit_);
  form->addRow(run_);
  form->addRow(message_);
  auto* settings = new QVBoxLayout;
  settings->addLayout(form);
  settings->addStretch();
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  // Horizontal bars: a task's label reads left of its group, however many tasks there are.
  chart_->xAxis->setLabel(tr("accuracy (fraction correct)"));
  chart_->xAxis->setRange(0, 1);
  chart_->xAxis->ticker()->setTickCount(5);
  chart_->yAxis->setLabel(tr("task · metric"));
  chart_->yAxis->setRangeReversed(true);  // the table's first row on top
  chart_->yAxis->grid()->setVisible(false);
  put_legend_below(chart_);
  update_chart();
  auto* results = new QSplitter(Qt::Vertical, this);
  results->addWidget(table_);
  results->addWidget(chart_);
  results->setStretchFactor(0, 1);
  results->setStretchFactor(1, 1);
  auto* layout = new QHBoxLayout(this);
  layout->addWidget(tasks_);
  layout->addLayout(settings);
  layout->addWidget(results, 1);
  connect(run_, &QPushButton::clicked, this, &EvalPanel::evaluateRequested);
}

QStringList EvalPanel::selected_tasks() const {
  QStringList out;
  for (int i = 0; i < tasks_->count(); ++i)
    if (tasks_->item(i)->checkState() == Qt::Checked) out << tasks_->item(i)->text();
  return out;
}

void EvalPanel::set_selected_tasks(const QStringList& tasks) {
  for (int i = 0; i < tasks_->count(); ++i)
    tasks_->item(i)->setCheckState(tasks.contains(tasks_->item(i)->text()) ? Qt::Checked : Qt::Unchecked);
}

QString EvalPanel::data_dir() const {
  return data_dir_->text();
}
void EvalPanel::set_data_dir(const QString& dir) {
  data_dir_->setText(dir);
}
int EvalPanel::limit() const {
  return limit_->value();
}
void EvalPanel::set_limit(int limit) {
  limit_->setValue(limit);
}

void EvalPanel::set_running(bool running) {
  run_->setEnabled(!running);
  if (running) message_->setText(tr("Evaluating…"));
}

void EvalPanel::show_message(const QString& message) {
  message_->setText(message);
}

int EvalPanel::row_for(const QString& key) {
  for (int r = 0; r < table_->rowCount(); ++r)
    if (table_->verticalHeaderItem(r)->text() == key) return r;
  const int r = table_->rowCount();
  table_->insertRow(r);
  table_->setVerticalHeaderItem(r, new QTableWidgetItem(key));
  return r;
}

void EvalPanel::add_results(const QString& label, const EvalResults& results) {
  const int column = table_->columnCount();
  table_->insertColumn(column);
  table_->setHorizontalHeaderItem(column, new QTableWidgetItem(label));
  for (const auto& task : results.tasks) {
    for (const auto& [key, value] : task.metrics) {
      if (key.find("_stderr,") != std::string::npos) continue;
      const size_t comma = key.find(',');
      const std::string metric = key.substr(0, comma), filter = key.substr(comma + 1);
      QString text = QString::number(value, 'f', 4);
      if (const auto err = task.metrics.find(metric + "_stderr," + filter); err != task.metrics.end())
        text += QString::fromUtf8(" ± ") + QString::number(err->second, 'f', 4);
      const QString row = QString::fromStdString(task.name) + QString::fromUtf8(" · ") +
                          QString::fromStdString(filter == "none" ? metric : metric + " (" + filter + ")");
      auto* item = new QTableWidgetItem(text);
      item->setToolTip(tr("%1 documents, %2 s").arg(task.samples).arg(task.seconds, 0, 'f', 1));
      table_->setItem(row_for(row), column, item);
    }
  }
  update_chart();
  message_->setText(tr("Done in %1 s").arg(results.seconds, 0, 'f', 1));
}

QString EvalPanel::cell_text(const QString& row, const QString& column) const {
  for (int c = 0; c < table_->columnCount(); ++c) {
    if (table_->horizontalHeaderItem(c)->text() != column) continue;
    for (int r = 0; r < table_->rowCount(); ++r)
      if (table_->verticalHeaderItem(r)->text() == row && table_->item(r, c))
        return table_->item(r, c)->text();
  }
  return {};
}

std::vector<ResultsColumn> EvalPanel::results() const {
  std::vector<ResultsColumn> columns;
  for (int c = 0; c < table_->columnCount(); ++c) {
    ResultsColumn column{table_->horizontalHeaderItem(c)->text().toStdString(), {}};
    for (int r = 0; r < table_->rowCount(); ++r)
      if (table_->item(r, c))
        column.cells.emplace_back(table_->verticalHeaderItem(r)->text().toStdString(),
                                  table_->item(r, c)->text().toStdString());
    columns.push_back(std::move(column));
  }
  return columns;
}

void EvalPanel::add_column(const ResultsColumn& column) {
  const int c = table_->columnCount();
  table_->insertColumn(c);
  table_->setHorizontalHeaderItem(c, new QTableWidgetItem(QString::fromStdString(column.label)));
  for (const auto& [row, text] : column.cells)
    table_->setItem(row_for(QString::fromStdString(row)), c,
                    new QTableWidgetItem(QString::fromStdString(text)));
  update_chart();
}

int EvalPanel::result_columns() const {
  return table_->columnCount();
}

QString EvalPanel::results_text() const {
  QStringList lines, header{QString()};
  for (int c = 0; c < table_->columnCount(); ++c) header << table_->horizontalHeaderItem(c)->text();
  lines << header.join('\t');
  for (int r = 0; r < table_->rowCount(); ++r) {
    QStringList cells{table_->verticalHeaderItem(r)->text()};
    for (int c = 0; c < table_->columnCount(); ++c)
      cells << (table_->item(r, c) ? table_->item(r, c)->text() : QString());
    lines << cells.join('\t');
  }
  return lines.join('\n');
}

std::vector<int> EvalPanel::chart_row_indices() const {
  std::vector<int> rows;
  for (int r = 0; r < table_->rowCount(); ++r) {
    const QString metric = table_->verticalHeaderItem(r)->text().section(QString::fromUtf8(" · "), 1);
    if (metric.startsWith(QLatin1String("acc")) || metric.startsWith(QLatin1String("exact_match")))
      rows.push_back(r);
  }
  return rows;
}

QStringList EvalPanel::chart_rows() const {
  QStringList rows;
  for (int r : chart_row_indices()) rows << table_->verticalHeaderItem(r)->text();
  return rows;
}

std::vector<double> EvalPanel::chart_bars(int column) const {
  const auto* bars = column >= 0 && column < chart_->plottableCount()
                         ? qobject_cast<QCPBars*>(chart_->plottable(column))
                         : nullptr;
  std::vector<double> values;
  if (bars)
    for (auto bar = bars->data()->constBegin(); bar != bars->data()->constEnd(); ++bar)
      values.push_back(bar->value);
  return values;
}

void EvalPanel::update_chart() {
  chart_->clearPlottables();
  const std::vector<int> rows = chart_row_indices();
  QVector<double> ticks;
  QVector<QString> labels;
  for (size_t i = 0; i < rows.size(); ++i) {
    ticks << double(i + 1);
    labels << table_->verticalHeaderItem(rows[i])->text();
  }
  // Every row its own line of text, and room for the legend.
  chart_->setMinimumHeight(std::max(160, 80 + int(rows.size()) * (chart_->fontMetrics().height() + 6)));
  if (rows.empty()) {
    show_no_data(chart_, tr("No accuracies yet: tick tasks and press Evaluate"));
    chart_->replot();
    return;
  }
  show_data(chart_);
  auto* group = new QCPBarsGroup(chart_);
  const int runs = table_->columnCount();
  for (int c = 0; c < runs; ++c) {
    const QString run = table_->horizontalHeaderItem(c)->text();
    auto* bars = new QCPBars(chart_->yAxis, chart_->xAxis);
    bars->setName(run);
    bars->setWidth(0.8 / std::max(1, runs));
    bars->setBarsGroup(group);
    bars->setPen(Qt::NoPen);
    bars->setBrush(series_colour(c));
    QVector<double> values;  // "0.2660 ± 0.0091" → 0.2660; 0 where this run lacks the row
    for (int r : rows)
      values << (table_->item(r, c)
                     ? table_->item(r, c)->text().section(QString::fromUtf8(" ±"), 0, 0).toDouble()
                     : 0.0);
    bars->setData(ticks, values);
  }
  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  ticker->addTicks(ticks, labels);
  chart_->yAxis->setTicker(ticker);
  chart_->yAxis->setRange(0.4, rows.size() + 0.6);
  chart_->replot();
}

bool EvalPanel::save_chart(const QString& path, QString* error) const {
  return save_plot(chart_, path, tr("Evaluation"), 800, 400, error);
}

}  // namespace llmdrop::widgets
