#include "checkpoint/quant_scheme.h"

#include "util/error.h"
#include "util/input.h"
#include "util/regex.h"

namespace llmdrop {

QuantMethod parse_quant_method(const std::string& name) {
  if (name == "gptq") return QuantMethod::gptq;
  if (name == "awq") return QuantMethod::awq;
  if (name == "rtn") return QuantMethod::rtn;
  throw_bad_input("unknown quantization method '" + name + "' (gptq, awq or rtn)");
}

std::string to_string(QuantMethod method) {
  switch (method) {
    case QuantMethod::gptq:
      return "gptq";
    case QuantMethod::awq:
      return "awq";
    case QuantMethod::rtn:
      return "rtn";
  }
  return "?";
}

void QuantScheme::validate() const {
  if (method == QuantMethod::awq) {
    if (bits != 4) throw_bad_input("AWQ (GEMM format) quantizes to 4 bits, not " + std::to_string(bits));
    if (group_size <= 0) throw_bad_input("AWQ needs a group size (e.g. 128)");
    if (desc_act) throw_bad_input("act-order (--desc-act) is a GPTQ option; AWQ has none");
    if (sym) throw_bad_input("AWQ is asymmetric (zero point); --sym is a GPTQ option");
  } else if (bits != 2 && bits != 3 && bits != 4 && bits != 8) {
    throw_bad_input("GPTQ quantizes to 2, 3, 4 or 8 bits, not " + std::to_string(bits));
  }
  if (group_size != -1 && group_size != 32 && group_size != 64 && group_size != 128)
    throw_bad_input("group size must be -1, 32, 64 or 128, not " + std::to_string(group_size));
  if (method == QuantMethod::rtn && desc_act) throw_bad_input("act-order needs GPTQ");
  if (method == QuantMethod::awq && mse) throw_bad_input("--mse is a GPTQ option; AWQ searches its clipping");
  if (!(damp_percent > 0 && damp_percent < 1)) throw_bad_input("dampening must lie in (0, 1)");
  if (method == QuantMethod::awq && !dynamic.empty())
    throw_bad_input("per-module precision is written in GPTQModel's `dynamic` form: use GPTQ or RTN");
  for (const QuantRule& rule : dynamic) Regex::compile(rule.pattern, "quantization rule");
}

std::optional<QuantScheme> QuantScheme::for_module(const std::string& name) const {
  QuantScheme s = *this;
  s.dynamic.clear();
  for (const QuantRule& rule : dynamic) {
    // Python's re.match: anchored at the start only.
    if (!Regex::compile("\\A(?:" + rule.pattern + ")", "quantization rule '" + rule.pattern + "'")
             .search(name))
      continue;
    if (rule.skip) return std::nullopt;
    if (rule.bits) s.bits = *rule.bits;
    if (rule.group_size) s.group_size = *rule.group_size;
    if (rule.desc_act) s.desc_act = *rule.desc_act;
    if (rule.sym) s.sym = *rule.sym;
    s.validate();
    return s;
  }
  return s;
}

QuantScheme QuantScheme::packed_as(const std::string& name) const {
  if (auto s = for_module(name)) return *s;
  throw_bad_input(name + " is stored packed, but quantization_config.dynamic leaves it unquantized");
}

template <typename Json>
std::vector<QuantRule> parse_quant_rules(const Json& dynamic, const std::string& where) {
  if (!dynamic.is_object()) throw_bad_input(where + ": must be an object of pattern → overrides");
  std::vector<QuantRule> rules;
  for (auto it = dynamic.begin(); it != dynamic.end(); ++it) {
    QuantRule rule;
    rule.pattern = it.key();
    if (rule.pattern.starts_with("-:")) rule.skip = true;
    if (rule.pattern.starts_with("-:") || rule.pattern.starts_with("+:"))
      rule.pattern = rule.pattern.substr(2);
    const std::string field = where + "['" + it.key() + "']";
    const auto& overrides = it.value();
    if (!overrides.is_object()) throw_bad_input(field + ": must be an object");
    for (auto o = overrides.begin(); o != overrides.end(); ++o) {
      const std::string key = o.key(), what = field + "." + key;
      const nlohmann::json value(o.value());
      if (key == "bits")
        rule.bits = static_cast<int>(json_int(value, what, 1, 64));
      else if (key == "group_size")
        rule.group_size = json_int(value, what, -1, 1 << 24);
      else if (key == "desc_act")
        rule.desc_act = json_bool(value, what);
      else if (key == "sym")
        rule.sym = json_bool(value, what);
      // Other fields (e.g. GPTQModel's damp_percent, mse) change how a module was quantized, not how it is
      // stored.
    }
    Regex::compile(rule.pattern, field);
    rules.push_back(rule);
  }
  return rules;
}
template std::vector<QuantRule> parse_quant_rules(const nlohmann::json&, const std::string&);
template std::vector<QuantRule> parse_quant_rules(const nlohmann::ordered_json&, const std::string&);

nlohmann::json quant_rules_json(const std::vector<QuantRule>& rules) {
  nlohmann::json dynamic = nlohmann::json::object();
  for (const QuantRule& rule : rules) {
    nlohmann::json overrides = nlohmann::json::object();
    if (rule.bits) overrides["bits"] = *rule.bits;
    if (rule.group_size) overrides["group_size"] = *rule.group_size;
    if (rule.desc_act) overrides["desc_act"] = *rule.desc_act;
    if (rule.sym) overrides["sym"] = *rule.sym;
    dynamic[(rule.skip ? "-:" : "+:") + rule.pattern] = overrides;
  }
  return dynamic;
}

std::string packed_prefix(const std::string& weight_name) {
  const std::string suffix = ".weight";
  return weight_name.ends_with(suffix) ? weight_name.substr(0, weight_name.size() - suffix.size()) : "";
}

std::string describe(const QuantScheme& s) {
  std::string text = s.method == QuantMethod::awq ? "AWQ" : s.method == QuantMethod::gptq ? "GPTQ" : "RTN";
  text += " " + std::to_string(s.bits) + "-bit, ";
  text += s.group_size > 0 ? "group " + std::to_string(s.group_size) : "per row";
  if (s.desc_act) text += ", act-order";
  if (s.mse) text += ", range search";
  if (!s.dynamic.empty()) text += ", " + std::to_string(s.dynamic.size()) + " per-module rules";
  return text;
}

nlohmann::json quantization_config_json(const QuantScheme& s) {
  if (s.method == QuantMethod::awq)
    return {{"quant_method", "awq"},      {"version", "gemm"},  {"bits", s.bits},
            {"group_size", s.group_size}, {"zero_point", true}, {"modules_to_not_convert", nullptr}};
  nlohmann::json config = {
      {"quant_method", "gptq"},  {"bits", s.bits},         {"group_size", s.group_size},
      {"desc_act", s.desc_act},  {"sym", s.sym},           {"damp_percent", s.damp_percent},
      {"true_sequential", true}, {"static_groups", false}, {"checkpoint_format", "gptq"},
      {"lm_head", false}};
  if (!s.dynamic.empty()) config["dynamic"] = quant_rules_json(s.dynamic);
  return config;
}

QuantScheme parse_quantization_config(const nlohmann::json& config, const std::string& where) {
  const std::string field = where + ": quantization_config";
  auto fail = [&](const std::string& what) { throw_bad_input(field + ": " + what); };
  if (!config.is_object()) fail("must be an object");
  auto text = [&](const char* key, const std::string& fallback) {
    const auto* v = json_find(config, key);
    return v ? json_string(*v, field + "." + key) : fallback;
  };
  auto flag = [&](const char* key, bool fallback) {
    const auto* v = json_find(config, key);
    return v ? json_bool(*v, field + "." + key) : fallback;
  };
  QuantScheme s;
  const std::string method = text("quant_method", "");
  if (method == "gptq") {
    s.method = QuantMethod::gptq;
    const std::string format = text("checkpoint_format", "gptq");
    if (format != "gptq") fail("checkpoint_format '" + format + "' is not supported (gptq is)");
    s.desc_act = flag("desc_act", false);
    s.sym = flag("sym", true);
  } else if (method == "awq") {
    s.method = QuantMethod::awq;
    const std::string version = text("version", "gemm");
    if (version != "gemm" && version != "GEMM")
      fail("AWQ version '" + version + "' is not supported (gemm is)");
    if (!flag("zero_point", true)) fail("AWQ without zero point is not supported");
  } else {
    fail("quant_method '" + method + "' is not supported (gptq, awq)");
  }
  if (!json_find(config, "bits")) fail("bits missing");
  s.bits = static_cast<int>(json_int(config.at("bits"), field + ".bits", 1, 64));
  if (const auto* g = json_find(config, "group_size"))
    s.group_size = json_int(*g, field + ".group_size", -1, 1 << 24);
  if (const auto* d = json_find(config, "dynamic"); d && !d->is_null())
    s.dynamic = parse_quant_rules(*d, field + ".dynamic");
  if (const auto* head = json_find(config, "lm_head"); head && json_bool(*head, field + ".lm_head"))
    fail("a quantized lm_head is not supported");
  s.validate();
  return s;
}

}  // namespace llmdrop
