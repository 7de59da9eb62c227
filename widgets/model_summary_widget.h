#pragma once
// Shows what a checkpoint is: family, shape, parameters, dtype, drop lists and KV-cache cost.
#include <QWidget>

class QFormLayout;
class QLabel;

namespace llmdrop {
struct ModelSummary;
}

namespace llmdrop::widgets {

class ModelSummaryWidget : public QWidget {
  Q_OBJECT
 public:
  explicit ModelSummaryWidget(QWidget* parent = nullptr);

  void show_summary(const ModelSummary& summary);
  void clear();
  // The text shown for a field, by its stable key (e.g. "layers"); empty when unknown. Used by tests.
  QString field_text(const QString& key) const;

 private:
  QLabel* add_field(const QString& key, const QString& label);
  QFormLayout* form_;
  QHash<QString, QLabel*> fields_;
};

// 1234567 → "1.23 M"; bytes → "1.5 KiB".
QString format_count(qint64 n);
QString format_bytes(qint64 bytes);

}  // namespace llmdrop::widgets
