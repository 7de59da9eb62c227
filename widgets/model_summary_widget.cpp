#include "model_summary_widget.h"

#include <QFormLayout>
#include <QLabel>

#include "checkpoint/summary.h"

namespace llmdrop::widgets {

namespace {
QString indices(const std::set<int64_t>& set) {
  QStringList parts;
  for (int64_t i : set) parts << QString::number(i);
  return parts.isEmpty() ? ModelSummaryWidget::tr("none") : parts.join(QStringLiteral(", "));
}
}  // namespace

QString format_count(qint64 n) {
  if (n >= 1'000'000'000) return QString::number(n / 1e9, 'f', 2) + QStringLiteral(" B");
  if (n >= 1'000'000) return QString::number(n / 1e6, 'f', 2) + QStringLiteral(" M");
  if (n >= 1'000) return QString::number(n / 1e3, 'f', 1) + QStringLiteral(" K");
  return QString::number(n);
}

QString format_bytes(qint64 bytes) {
  if (bytes >= (1LL << 30))
    return QString::number(bytes / double(1LL << 30), 'f', 2) + QStringLiteral(" GiB");
  if (bytes >= (1LL << 20))
    return QString::number(bytes / double(1LL << 20), 'f', 2) + QStringLiteral(" MiB");
  if (bytes >= (1LL << 10))
    return QString::number(bytes / double(1LL << 10), 'f', 1) + QStringLiteral(" KiB");
  return QString::number(bytes) + QStringLiteral(" B");
}

ModelSummaryWidget::ModelSummaryWidget(QWidget* parent) : QWidget(parent), form_(new QFormLayout(this)) {
  add_field("path", tr("Path"));
  add_field("family", tr("Family"));
  add_field("layers", tr("Layers"));
  add_field("shape", tr("Hidden / intermediate"));
  add_field("heads", tr("Heads / KV heads"));
  add_field("vocab", tr("Vocabulary"));
  add_field("architecture", tr("Computation"));
  add_field("rope", tr("Rotary embedding"));
  add_field("window", tr("Sliding window"));
  add_field("parameters", tr("Parameters"));
  add_field("dtype", tr("Stored dtype"));
  add_field("drops", tr("Dropped modules"));
  add_field("kv", tr("KV cache per token"));
  fields_["path"]->setTextInteractionFlags(Qt::TextSelectableByMouse);
  clear();
}

QLabel* ModelSummaryWidget::add_field(const QString& key, const QString& label) {
  auto* value = new QLabel(this);
  value->setWordWrap(true);  // paths and long drop lists
  value->setObjectName(key);
  form_->addRow(label + QLatin1Char(':'), value);
  fields_.insert(key, value);
  return value;
}

void ModelSummaryWidget::clear() {
  for (QLabel* field : std::as_const(fields_)) field->setText(QStringLiteral("—"));
}

void ModelSummaryWidget::show_summary(const ModelSummary& s) {
  fields_["path"]->setText(QString::fromStdString(s.path));
  fields_["family"]->setText(QString::fromStdString(s.family));
  fields_["layers"]->setText(
      s.streamed_layers
          ? tr("%1, brought to the device one at a time (the model does not fit on it)").arg(s.layers)
          : QString::number(s.layers));
  fields_["shape"]->setText(QStringLiteral("%1 / %2").arg(s.hidden_size).arg(s.intermediate_size));
  fields_["heads"]->setText(tr("%1 / %2 (head dim %3)").arg(s.heads).arg(s.kv_heads).arg(s.head_dim));
  fields_["vocab"]->setText(QString::number(s.vocab_size));
  fields_["architecture"]->setText(QString::fromStdString(s.architecture));
  fields_["rope"]->setText(QString::fromStdString(s.rope));
  fields_["window"]->setText(
      s.sliding_window ? tr("%1 (%2 of %3 layers)").arg(s.sliding_window).arg(s.sliding_layers).arg(s.layers)
                       : tr("none"));
  fields_["parameters"]->setText(
      s.active_parameters == s.parameters
          ? format_count(s.parameters)
          : tr("%1 (%2 without dropped modules)")
                .arg(format_count(s.parameters), format_count(s.active_parameters)));
  fields_["dtype"]->setText(QString::fromStdString(s.stored_dtype));
  fields_["drops"]->setText(tr("attention: %1 · MLP: %2").arg(indices(s.drops.attn), indices(s.drops.mlp)));
  fields_["kv"]->setText(tr("%1 in %2 (%3 without drops)")
                             .arg(format_bytes(s.kv_bytes_per_token), QString::fromStdString(s.runtime_dtype),
                                  format_bytes(s.kv_bytes_per_token_full)));
}

QString ModelSummaryWidget::field_text(const QString& key) const {
  const QLabel* field = fields_.value(key);
  return field ? field->text() : QString();
}

}  // namespace llmdrop::widgets
