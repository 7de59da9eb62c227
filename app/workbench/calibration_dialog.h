#pragma once
// Edit → Calibration text…: which text the importance map is scored on, in how many blocks of how many
// tokens.
#include <QCoreApplication>
#include <optional>

#include "importance_map.h"

class QWidget;

namespace llmdrop::workbench {

class CalibrationDialog {
  Q_DECLARE_TR_FUNCTIONS(llmdrop::workbench::MainWindow)

 public:
  // The calibration chosen, or nullopt when cancelled; `max_seq_len`: the model's context.
  static std::optional<ImportanceMap::Calibration> ask(QWidget* parent,
                                                       const ImportanceMap::Calibration& current,
                                                       int64_t max_seq_len);
};

}  // namespace llmdrop::workbench
