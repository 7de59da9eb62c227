#pragma once
// What a quantization run does and what a quantized checkpoint holds: method, bits, groups, symmetry,
// act-order. Read from and written to config.json's quantization_config in the GPTQ and AWQ layouts.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace llmdrop {

enum class QuantMethod { rtn, gptq, awq };
QuantMethod parse_quant_method(const std::string& name);  // throws BadInput
std::string to_string(QuantMethod method);

// A per-module rule of GPTQModel's `dynamic` config (quantization_config.dynamic, as GPTQModel writes it and
// vLLM reads it): a regular expression matched at the start of a module's name (Python's re.match, e.g.
// "model.layers.0.self_attn.q_proj"); "-:PATTERN" leaves the matching modules unquantized, "+:PATTERN" (or no
// prefix) overrides fields of the base scheme for them. The first rule that matches decides.
struct QuantRule {
  std::string pattern;
  bool skip = false;
  std::optional<int> bits;
  std::optional<int64_t> group_size;
  std::optional<bool> desc_act, sym;
  bool operator==(const QuantRule&) const = default;
};

struct QuantScheme {
  QuantMethod method = QuantMethod::gptq;
  int bits = 4;
  int64_t group_size = 128;    // -1: one group per output row
  bool sym = false;            // GPTQ only; AWQ is asymmetric (zero point)
  bool desc_act = false;       // GPTQ act-order: columns by decreasing Hessian diagonal, with g_idx
  bool mse = false;            // GPTQ / RTN: each group's range shrunk to the least |error|^2.4 (GPTQ's mse)
  double damp_percent = 0.01;  // GPTQ: added to H's diagonal, as a fraction of its mean
  int64_t block_size = 128;    // GPTQ: columns per lazy-update block
  std::vector<QuantRule> dynamic;  // per-module rules, in order (GPTQ / RTN only)

  // Throws BadInput for a combination no format can hold (AWQ: 4 bits, groups; GPTQ: 2/3/4/8 bits, …).
  void validate() const;
  int64_t groups(int64_t in_features) const { return group_size > 0 ? in_features / group_size : 1; }
  // The scheme of module `name` (its weight's name without ".weight") after the rules; nothing when a rule
  // leaves it unquantized. BadInput for a rule whose pattern does not compile or whose fields are invalid.
  std::optional<QuantScheme> for_module(const std::string& name) const;
  // The scheme of a module stored packed (NAME.qweight exists); BadInput when the rules say it is not
  // quantized.
  QuantScheme packed_as(const std::string& name) const;
};

// The rules of quantization_config.dynamic (an object: pattern → overrides), in the object's order.
template <typename Json>
std::vector<QuantRule> parse_quant_rules(const Json& dynamic, const std::string& where);
// The rules as a `dynamic` object. Written rules should not overlap: the object's keys come out sorted.
nlohmann::json quant_rules_json(const std::vector<QuantRule>& rules);

// NAME for a linear's weight NAME.weight, whose packed tensors are NAME.qweight, NAME.scales, …; empty for a
// name that does not end in ".weight".
std::string packed_prefix(const std::string& weight_name);

// e.g. "GPTQ 4-bit, group 128, act-order"
std::string describe(const QuantScheme& scheme);

// quantization_config as GPTQ (checkpoint_format gptq; RTN is written as GPTQ without act-order; the rules as
// `dynamic`, lm_head never quantized) or AWQ (version gemm) loaders expect it.
nlohmann::json quantization_config_json(const QuantScheme& scheme);
// A checkpoint's quantization_config; throws BadInput naming the field for anything we cannot load. The
// rules come in the object's key order, which an nlohmann::json object does not keep: read_model_config
// re-reads them from the file in order.
QuantScheme parse_quantization_config(const nlohmann::json& config, const std::string& where);

}  // namespace llmdrop
