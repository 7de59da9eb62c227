#include "checkpoint/drop_plan.h"

#include <nlohmann/json.hpp>

#include "util/error.h"
#include "util/input.h"
#include "util/parse.h"

namespace llmdrop {

namespace {
void check_range(int64_t index, int64_t num_layers, const std::string& what) {
  if (index < 0 || index >= num_layers)
    throw_bad_input(what + ": layer index " + std::to_string(index) + " is out of range (the model has " +
                    std::to_string(num_layers) + " layers, 0.." + std::to_string(num_layers - 1) + ")");
}
}  // namespace

void DropPlan::validate(int64_t num_layers) const {
  for (int64_t i : attn) check_range(i, num_layers, "attention drop");
  for (int64_t i : mlp) check_range(i, num_layers, "MLP drop");
}

std::set<int64_t> DropPlan::parse_list(const nlohmann::json& value, const std::string& field,
                                       int64_t num_layers) {
  std::set<int64_t> out;
  if (value.is_null()) return out;
  if (!value.is_array()) throw_bad_input(field + " must be a list of layer indices or of booleans");
  const bool booleans = !value.empty() && value[0].is_boolean();
  if (booleans && static_cast<int64_t>(value.size()) != num_layers)
    throw_bad_input(field + " has " + std::to_string(value.size()) + " booleans, expected one per layer (" +
                    std::to_string(num_layers) + ")");
  for (size_t i = 0; i < value.size(); ++i) {
    const auto& v = value[i];
    if (booleans) {
      if (!v.is_boolean()) throw_bad_input(field + " mixes booleans and indices");
      if (v.get<bool>()) out.insert(static_cast<int64_t>(i));
    } else {
      const int64_t index = json_int(v, field + "[" + std::to_string(i) + "]");
      check_range(index, num_layers, field);
      out.insert(index);
    }
  }
  return out;
}

std::set<int64_t> DropPlan::parse_csv(const std::string& text, const std::string& what) {
  const auto indices = parse_int_list(text);
  if (!indices) throw_bad_input(what + ": '" + text + "' is not a comma-separated list of layer indices");
  return {indices->begin(), indices->end()};
}

std::string format_indices(const std::set<int64_t>& indices) {
  std::string out;
  for (int64_t i : indices) {
    if (!out.empty()) out += ',';
    out += std::to_string(i);
  }
  return out;
}

nlohmann::json drop_lists_json(const DropPlan& plan) {
  return {{"drop_attn_list", plan.attn}, {"drop_mlp_list", plan.mlp}};
}

DropPlan drop_lists_from_json(const nlohmann::json& object, int64_t num_layers, const std::string& where) {
  if (!object.is_object()) throw_bad_input((where.empty() ? "drop lists" : where) + " must be a JSON object");
  DropPlan plan;
  for (const auto& [key, list] : {std::pair{"drop_attn_list", &plan.attn}, {"drop_mlp_list", &plan.mlp}})
    if (const auto* value = json_find(object, key))
      *list = DropPlan::parse_list(*value, where.empty() ? key : where + ": " + key, num_layers);
  return plan;
}

}  // namespace llmdrop
