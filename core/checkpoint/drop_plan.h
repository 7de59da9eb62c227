#pragma once
// Which attention and MLP modules are dropped. A dropped block is a layer whose attention and MLP are both
// dropped.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace llmdrop {

struct DropPlan {
  std::set<int64_t> attn;
  std::set<int64_t> mlp;

  bool attn_dropped(int64_t layer) const { return attn.count(layer) != 0; }
  bool mlp_dropped(int64_t layer) const { return mlp.count(layer) != 0; }
  bool empty() const { return attn.empty() && mlp.empty(); }
  bool operator==(const DropPlan&) const = default;

  // Throws BadInput when an index is outside [0, num_layers).
  void validate(int64_t num_layers) const;
  // LLM-Drop's config.json fields: a list of layer indices, or one boolean per layer; null means none.
  static std::set<int64_t> parse_list(const nlohmann::json& value, const std::string& field,
                                      int64_t num_layers);
  // "3,5,7" → {3,5,7}; throws BadInput on anything else.
  static std::set<int64_t> parse_csv(const std::string& text, const std::string& what);
};

std::string format_indices(const std::set<int64_t>& indices);

// The one JSON form of a plan: {"drop_attn_list": [...], "drop_mlp_list": [...]}, indices sorted.
nlohmann::json drop_lists_json(const DropPlan& plan);
// The plan in such an object (a config.json, a score request, a record); a missing list means none. Throws
// BadInput when `object` is not an object, or as parse_list, naming the field after `where`
// ("where: drop_attn_list") when given.
DropPlan drop_lists_from_json(const nlohmann::json& object, int64_t num_layers,
                              const std::string& where = "");

}  // namespace llmdrop
