#pragma once
// The live impact of the drop plan: parameters removed, KV cache saved, the decode speedup the bytes read
// per token predict, and (from a background job) perplexity on held-out text next to the full model's.
#include <QWidget>
#include <optional>

#include "analysis/impact.h"

class QLabel;

namespace llmdrop::widgets {

class ImpactPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ImpactPanel(QWidget* parent = nullptr);

  void show_estimate(const PlanImpact& impact);
  void show_perplexity_pending();
  void show_perplexity(double with_drops, double full);
  void show_perplexity_failed(const QString& message);

  QString parameters_text() const;
  QString kv_text() const;
  QString speedup_text() const;
  QString perplexity_text() const;

 private:
  QLabel *parameters_, *kv_, *speedup_, *perplexity_;
};

}  // namespace llmdrop::widgets
