#include "compare_view.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>

#include "importance_heatmap.h"
#include "sizing.h"

namespace llmdrop::widgets {

namespace {
QString list_text(const std::set<int64_t>& layers) {
  return layers.empty() ? QStringLiteral("–") : QString::fromStdString(format_indices(layers));
}

// The layers of x that are (keep = true) or are not (keep = false) in y.
std::set<int64_t> filtered(const std::set<int64_t>& x, const std::set<int64_t>& y, bool keep) {
  std::set<int64_t> out;
  for (int64_t i : x)
    if (y.count(i) == (keep ? 1u : 0u)) out.insert(i);
  return out;
}
}  // namespace

CompareView::CompareView(QWidget* parent)
    : QWidget(parent),
      pin_(new QPushButton(tr("Pin the current plan as A"), this)),
      run_(new QPushButton(tr("Measure perplexity and generate"), this)),
      prompt_(new QLineEdit(tr("Once upon a time"), this)),
      caption_a_(wrapping_label(this)),
      caption_b_(wrapping_label(this)),
      difference_(wrapping_label(this)),
      message_(wrapping_label(this)),
      map_a_(new ImportanceHeatmap(this)),
      map_b_(new ImportanceHeatmap(this)),
      table_(new QTableWidget(Rows, 2, this)),
      text_a_(new QPlainTextEdit(this)),
      text_b_(new QPlainTextEdit(this)) {
  table_->setHorizontalHeaderLabels({tr("A"), tr("B")});
  table_->setVerticalHeaderLabels({tr("Parameters removed"), tr("KV cache saved"),
                                   tr("Estimated decode speedup"), tr("Held-out perplexity")});
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  for (int r = 0; r < Rows; ++r)
    for (int c = 0; c < 2; ++c) table_->setItem(r, c, new QTableWidgetItem);
  // Every part keeps a height of its own (the page scrolls rather than overlapping them): the maps share
  // what is left.
  for (auto* text : {text_a_, text_b_}) {
    text->setReadOnly(true);
    text->setFixedHeight(3 * text->fontMetrics().lineSpacing() + 2 * text->frameWidth() + 8);
  }
  for (auto* map : {map_a_, map_b_}) map->setMinimumHeight(130);
  table_->setFixedHeight(height_for_rows(table_, Rows));
  auto* controls = new QHBoxLayout;
  controls->addWidget(pin_);
  controls->addWidget(new QLabel(tr("Prompt"), this));
  controls->addWidget(prompt_, 1);
  controls->addWidget(run_);
  auto* grid = new QGridLayout;
  grid->addWidget(caption_a_, 0, 0);
  grid->addWidget(caption_b_, 0, 1);
  grid->addWidget(map_a_, 1, 0);
  grid->addWidget(map_b_, 1, 1);
  grid->addWidget(text_a_, 2, 0);
  grid->addWidget(text_b_, 2, 1);
  grid->setRowStretch(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(controls);
  layout->addLayout(grid, 1);
  auto* bottom = new QHBoxLayout;
  bottom->addWidget(table_, 2);
  auto* notes = new QVBoxLayout;
  notes->addWidget(difference_);
  notes->addWidget(message_);
  notes->addStretch(1);
  bottom->addLayout(notes, 1);
  layout->addLayout(bottom);
  connect(pin_, &QPushButton::clicked, this, &CompareView::pinRequested);
  connect(run_, &QPushButton::clicked, this, &CompareView::runRequested);
}

void CompareView::set_scores(const ImportanceScores& scores, Metric metric) {
  metric_ = metric;
  layers_b_ = scores.block.cosine.size();
  map_b_->set_scores(scores, metric);
  map_b_->set_plan(b_);
  if (has_a_) {
    map_a_->set_scores(scores_a_, metric);
    map_a_->set_plan(a_);
  }
  show_difference();
}

void CompareView::set_plan(int column, const QString& label, const DropPlan& plan, const PlanImpact& impact) {
  (column == 0 ? a_ : b_) = plan;
  (column == 0 ? map_a_ : map_b_)->set_plan(plan);
  (column == 0 ? caption_a_ : caption_b_)
      ->setText((column == 0 ? tr("A: %1") : tr("B (current): %1")).arg(label));
  table_->item(Parameters, column)
      ->setText(tr("%1 (%2 %)")
                    .arg(impact.parameters_removed)
                    .arg(100 * impact.parameters_removed_fraction, 0, 'f', 1));
  table_->item(KvCache, column)
      ->setText(QStringLiteral("%1 %").arg(100 * impact.kv_saved_fraction, 0, 'f', 1));
  table_->item(Speedup, column)
      ->setText(QStringLiteral("%1×").arg(impact.estimated_decode_speedup, 0, 'f', 2));
  table_->item(Perplexity, column)->setText(QString());
  (column == 0 ? text_a_ : text_b_)->clear();
  show_difference();
}

void CompareView::set_plan_a(const QString& label, const DropPlan& plan, const PlanImpact& impact,
                             const ImportanceScores& scores) {
  has_a_ = true;
  scores_a_ = scores;
  layers_a_ = scores.block.cosine.size();
  map_a_->set_scores(scores_a_, metric_);
  set_plan(0, label, plan, impact);
}

void CompareView::set_plan_b(const QString& label, const DropPlan& plan, const PlanImpact& impact) {
  set_plan(1, label, plan, impact);
}

void CompareView::show_difference() {
  if (!has_a_) {
    difference_->clear();
    return;
  }
  if (layers_a_ != layers_b_) {  // two models of different depth: layer by layer means nothing
    difference_->setText(
        tr("A has %1 layers, B %2\nA drops: attention %3, MLP %4\nB drops: attention %5, MLP %6")
            .arg(layers_a_)
            .arg(layers_b_)
            .arg(list_text(a_.attn), list_text(a_.mlp), list_text(b_.attn), list_text(b_.mlp)));
    return;
  }
  difference_->setText(
      tr("Only A drops: attention %1, MLP %2\nOnly B drops: attention %3, MLP %4\nBoth drop: "
         "attention %5, MLP %6")
          .arg(list_text(filtered(a_.attn, b_.attn, false)), list_text(filtered(a_.mlp, b_.mlp, false)),
               list_text(filtered(b_.attn, a_.attn, false)), list_text(filtered(b_.mlp, a_.mlp, false)),
               list_text(filtered(a_.attn, b_.attn, true)), list_text(filtered(a_.mlp, b_.mlp, true))));
}

void CompareView::set_running(bool running) {
  run_->setEnabled(!running);
  if (running) message_->setText(tr("Measuring both plans…"));
}

void CompareView::show_message(const QString& message) {
  message_->setText(message);
}

void CompareView::show_measurements(double perplexity_a, double perplexity_b, const QString& text_a,
                                    const QString& text_b) {
  table_->item(Perplexity, 0)->setText(QString::number(perplexity_a, 'f', 2));
  table_->item(Perplexity, 1)->setText(QString::number(perplexity_b, 'f', 2));
  text_a_->setPlainText(prompt_->text() + text_a);
  text_b_->setPlainText(prompt_->text() + text_b);
  message_->setText(tr("B − A perplexity: %1").arg(perplexity_b - perplexity_a, 0, 'f', 2));
}

QString CompareView::prompt() const {
  return prompt_->text();
}

void CompareView::set_prompt(const QString& prompt) {
  prompt_->setText(prompt);
}

QString CompareView::cell_text(Row row, int column) const {
  return table_->item(row, column)->text();
}

QString CompareView::difference_text() const {
  return difference_->text();
}

const QWidget* CompareView::generation_box(int column) const {
  return column == 0 ? text_a_ : text_b_;
}

QString CompareView::generation(int column) const {
  return (column == 0 ? text_a_ : text_b_)->toPlainText();
}

}  // namespace llmdrop::widgets
