#include "impact_panel.h"

#include <QFormLayout>
#include <QLabel>
#include <QLocale>

namespace llmdrop::widgets {

namespace {
// 7740000 → "7.74 M"
QString count_text(int64_t n) {
  const double v = double(n);
  if (v >= 1e9) return QStringLiteral("%1 B").arg(v / 1e9, 0, 'f', 2);
  if (v >= 1e6) return QStringLiteral("%1 M").arg(v / 1e6, 0, 'f', 2);
  if (v >= 1e3) return QStringLiteral("%1 k").arg(v / 1e3, 0, 'f', 2);
  return QString::number(n);
}
}  // namespace

ImpactPanel::ImpactPanel(QWidget* parent)
    : QWidget(parent),
      parameters_(new QLabel(this)),
      kv_(new QLabel(this)),
      speedup_(new QLabel(this)),
      measured_(new QLabel(this)),
      perplexity_(new QLabel(this)) {
  for (QLabel* value : {parameters_, kv_, speedup_, measured_, perplexity_})
    value->setWordWrap(true);  // measurements and errors of any length
  auto* form = new QFormLayout(this);
  // Each value under its label, across the dock's width: the measurements stay on one line or two.
  form->setRowWrapPolicy(QFormLayout::WrapAllRows);
  form->addRow(tr("Parameters removed"), parameters_);
  form->addRow(tr("KV cache saved"), kv_);
  form->addRow(tr("Estimated decode speedup"), speedup_);
  form->addRow(tr("Measured decode speedup"), measured_);
  form->addRow(tr("Held-out perplexity"), perplexity_);
  speedup_->setToolTip(tr(
      "Bytes a batch-1 decode step reads (kept weights + KV cache), full model ÷ with drops: the speedup a "
      "memory-bound GPU gives"));
}

void ImpactPanel::show_estimate(const PlanImpact& impact) {
  const QLocale locale;
  parameters_->setText(tr("%1 (%2 %)")
                           .arg(count_text(impact.parameters_removed))
                           .arg(100 * impact.parameters_removed_fraction, 0, 'f', 1));
  parameters_->setToolTip(locale.toString(qlonglong(impact.parameters_removed)));
  kv_->setText(tr("%1 per token (%2 %)")
                   .arg(locale.formattedDataSize(impact.kv_bytes_saved_per_token))
                   .arg(100 * impact.kv_saved_fraction, 0, 'f', 1));
  speedup_->setText(
      tr("%1× at %2 tokens of context").arg(impact.estimated_decode_speedup, 0, 'f', 2).arg(impact.context));
}

void ImpactPanel::show_measured_pending() {
  measured_->setText(tr("measuring…"));
}

// Short, so that the dock's rows keep one or two lines; the speeds behind the figure in the tooltip.
void ImpactPanel::show_measured(const SpeedupMeasurement& m, const QString& device, int64_t context) {
  measured_->setToolTip(tr("Decode tokens/s on %1 after %2 tokens of context, full model → plan: %3 → %4 "
                           "(medians over %5 interleaved pairs of runs, each from its fastest step; the "
                           "range is the speedup's 95 % interval)")
                            .arg(device)
                            .arg(context)
                            .arg(m.baseline_tokens_per_second, 0, 'f', 1)
                            .arg(m.plan_tokens_per_second, 0, 'f', 1)
                            .arg(m.pairs));
  if (m.pairs == 1)  // the full model alone
    return measured_->setText(
        tr("1.00× (full model: %1 tokens/s on %2)").arg(m.baseline_tokens_per_second, 0, 'f', 1).arg(device));
  if (!m.settled)
    return measured_->setText(tr("too noisy to tell (%1–%2× over %3 pairs)")
                                  .arg(m.speedup_min, 0, 'f', 2)
                                  .arg(m.speedup_max, 0, 'f', 2)
                                  .arg(m.pairs));
  measured_->setText(tr("%1× (%2–%3 over %4 pairs on %5)")
                         .arg(m.speedup, 0, 'f', 2)
                         .arg(m.speedup_min, 0, 'f', 2)
                         .arg(m.speedup_max, 0, 'f', 2)
                         .arg(m.pairs)
                         .arg(device));
}

void ImpactPanel::show_measured_so_far(const SpeedupMeasurement& m, const QString& device) {
  measured_->setText(tr("%1× so far (%2 %3 on %4; measuring…)")
                         .arg(m.speedup, 0, 'f', 2)
                         .arg(m.pairs)
                         .arg(m.pairs == 1 ? tr("pair") : tr("pairs"))
                         .arg(device));
}

void ImpactPanel::show_measured_failed(const QString& message) {
  measured_->setText(tr("not available: %1").arg(message));
}

void ImpactPanel::show_perplexity_pending() {
  perplexity_->setText(tr("computing…"));
}

void ImpactPanel::show_perplexity(double with_drops, double full) {
  perplexity_->setText(tr("%1 (full model %2, %3%4 %)")
                           .arg(with_drops, 0, 'f', 2)
                           .arg(full, 0, 'f', 2)
                           .arg(with_drops >= full ? "+" : "")
                           .arg(100 * (with_drops / full - 1), 0, 'f', 1));
}

void ImpactPanel::show_perplexity_failed(const QString& message) {
  perplexity_->setText(tr("not available: %1").arg(message));
}

QString ImpactPanel::parameters_text() const {
  return parameters_->text();
}
QString ImpactPanel::kv_text() const {
  return kv_->text();
}
QString ImpactPanel::speedup_text() const {
  return speedup_->text();
}
QString ImpactPanel::perplexity_text() const {
  return perplexity_->text();
}
QString ImpactPanel::measured_tooltip() const {
  return measured_->toolTip();
}
QString ImpactPanel::measured_text() const {
  return measured_->text();
}

}  // namespace llmdrop::widgets
