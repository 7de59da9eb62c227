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
  auto* form = new QFormLayout(this);
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

void ImpactPanel::show_measured(double full, double with_drops, const QString& device, int64_t context) {
  measured_->setText(tr("%1× (%2 → %3 tokens/s on %4 after %5 tokens)")
                         .arg(with_drops / full, 0, 'f', 2)
                         .arg(full, 0, 'f', 1)
                         .arg(with_drops, 0, 'f', 1)
                         .arg(device)
                         .arg(context));
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
QString ImpactPanel::measured_text() const {
  return measured_->text();
}

}  // namespace llmdrop::widgets
