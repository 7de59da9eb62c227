#pragma once
// What a quantization run does and what a quantized checkpoint holds: method, bits, groups, symmetry,
// act-order. Read from and written to config.json's quantization_config in the GPTQ and AWQ layouts.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace llmdrop {

enum class QuantMethod { rtn, gptq, awq };
QuantMethod parse_quant_method(const std::string& name);  // throws BadInput
std::string to_string(QuantMethod method);

struct QuantScheme {
  QuantMethod method = QuantMethod::gptq;
  int bits = 4;
  int64_t group_size = 128;    // -1: one group per output row
  bool sym = false;            // GPTQ only; AWQ is asymmetric (zero point)
  bool desc_act = false;       // GPTQ act-order: columns by decreasing Hessian diagonal, with g_idx
  bool mse = false;            // GPTQ / RTN: each group's range shrunk to the least |error|^2.4 (GPTQ's mse)
  double damp_percent = 0.01;  // GPTQ: added to H's diagonal, as a fraction of its mean
  int64_t block_size = 128;    // GPTQ: columns per lazy-update block

  // Throws BadInput for a combination no format can hold (AWQ: 4 bits, groups; GPTQ: 2/3/4/8 bits, …).
  void validate() const;
  int64_t groups(int64_t in_features) const { return group_size > 0 ? in_features / group_size : 1; }
};

// NAME for a linear's weight NAME.weight, whose packed tensors are NAME.qweight, NAME.scales, …; empty for a
// name that does not end in ".weight".
std::string packed_prefix(const std::string& weight_name);

// e.g. "GPTQ 4-bit, group 128, act-order"
std::string describe(const QuantScheme& scheme);

// quantization_config as GPTQ (checkpoint_format gptq; RTN is written as GPTQ without act-order) or AWQ
// (version gemm) loaders expect it.
nlohmann::json quantization_config_json(const QuantScheme& scheme);
// A checkpoint's quantization_config; throws BadInput naming the field for anything we cannot load.
QuantScheme parse_quantization_config(const nlohmann::json& config, const std::string& where);

}  // namespace llmdrop
