#pragma once
// Healing in the workbench: LoRA fine-tuning after a drop (core/heal) with its settings, its loss curve as
// the steps come in, and the held-out perplexity of the full model, of the plan and of the healed model side
// by side.
#include <QWidget>
#include <optional>

class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace llmdrop::widgets {

class HealPanel : public QWidget {
  Q_OBJECT
 public:
  explicit HealPanel(QWidget* parent = nullptr);

  struct Settings {
    QString data, out;  // training text, new folder for the merged checkpoint and adapter/
    int steps = 300, batch_size = 4, seq_len = 512, rank = 16;
    double alpha = 32, lr = 2e-4;
  };
  Settings settings() const;
  void set_settings(const Settings& settings);
  void set_running(bool running);
  void show_message(const QString& message);
  QString message() const;

  void clear_curve();
  void add_step(int step, double loss);  // one point of the loss curve and of its moving average
  // The held-out perplexities; a value not measured yet is left out.
  void show_perplexities(std::optional<double> full, std::optional<double> dropped,
                         std::optional<double> healed);
  QString perplexity_text() const;
  int curve_points() const;      // steps drawn
  double smoothed_loss() const;  // the moving average's last value (0 before any step)
  QPushButton* heal_button() const { return heal_; }

 signals:
  void healRequested();
  void browseDataRequested();
  void browseOutRequested();

 private:
  QLineEdit *data_, *out_;
  QSpinBox *steps_, *batch_size_, *seq_len_, *rank_;
  QDoubleSpinBox *alpha_, *lr_;
  QPushButton* heal_;
  QLabel *message_, *perplexities_;
  QCustomPlot* curve_;
  double smoothed_ = 0;  // the loss's moving average so far, before its bias correction
  int smoothed_steps_ = 0;
};

}  // namespace llmdrop::widgets
