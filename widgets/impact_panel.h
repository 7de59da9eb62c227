#pragma once
// The live impact of the drop plan: parameters removed, KV cache saved, the decode speedup the bytes read
// per token predict, and (from background jobs) the decode speedup measured on the device and perplexity on
// held-out text next to the full model's.
#include <QWidget>
#include <optional>

#include "analysis/impact.h"
#include "bench/speed.h"

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
  void show_measured_pending();
  // Decode tokens/s of the full model and with the drops, measured on `device` after `context` tokens.
  // The measured decode speedup with its range, or that the machine was too noisy to tell.
  void show_measured(const SpeedupMeasurement& measured, const QString& device, int64_t context);
  // The figure while the pairs are still being measured.
  void show_measured_so_far(const SpeedupMeasurement& so_far, const QString& device);
  void show_measured_failed(const QString& message);

  QString parameters_text() const;
  QString kv_text() const;
  QString speedup_text() const;
  QString perplexity_text() const;
  QString measured_text() const;
  QString measured_tooltip() const;

 private:
  QLabel *parameters_, *kv_, *speedup_, *measured_, *perplexity_;
};

}  // namespace llmdrop::widgets
