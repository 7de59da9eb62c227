#include "analysis/score_file.h"

#include <cmath>
#include <cstdlib>
#include <fstream>

#include "util/error.h"
#include "util/input.h"
#include "util/sha256.h"

namespace llmdrop {
namespace fs = std::filesystem;

namespace {
std::vector<double> read_values(const nlohmann::json& j, const std::string& what, size_t expected) {
  if (!j.is_array() || j.size() != expected)
    throw_bad_input("score file: '" + what + "' must be a list of " + std::to_string(expected) + " numbers");
  std::vector<double> out;
  for (const auto& x : j) {
    if (!x.is_null() && !x.is_number()) throw_bad_input("score file: '" + what + "' holds a non-number");
    out.push_back(x.is_null() ? std::nan("") : x.get<double>());
  }
  return out;
}

nlohmann::json module_json(const ModuleScores& m) {
  nlohmann::json j = {{"cosine", layer_values_json(m.cosine)}, {"angular", layer_values_json(m.angular)}};
  for (const auto& [key, values] : {std::pair{"nll_delta", &m.nll_delta}, {"kl", &m.kl}, {"js", &m.js}})
    if (!values->empty()) j[key] = layer_values_json(*values);
  return j;
}

ModuleScores module_from_json(const nlohmann::json& j, const std::string& name, size_t layers) {
  if (!j.contains(name) || !j[name].is_object()) throw_bad_input("score file has no '" + name + "' scores");
  const auto& m = j[name];
  ModuleScores out;
  out.cosine = read_values(m.value("cosine", nlohmann::json()), name + ".cosine", layers);
  out.angular = read_values(m.value("angular", nlohmann::json()), name + ".angular", layers);
  for (const auto& [key, values] : {std::pair{"nll_delta", &out.nll_delta}, {"kl", &out.kl}, {"js", &out.js}})
    if (m.contains(key)) *values = read_values(m[key], name + "." + key, layers);
  return out;
}
}  // namespace

nlohmann::json layer_values_json(const std::vector<double>& values) {
  nlohmann::json out = nlohmann::json::array();
  for (double x : values) out.push_back(std::isnan(x) ? nlohmann::json() : nlohmann::json(x));
  return out;
}

nlohmann::json ScoreRequest::to_json() const {
  nlohmann::json j = {{"model", model_dir},
                      {"model_fingerprint", model_fingerprint},
                      {"data", data_path},
                      {"data_sha256", data_sha256},
                      {"samples", samples},
                      {"seq_len", seq_len},
                      {"dtype", dtype},
                      {"device", device},
                      {"layer_drop_norm", layer_drop_norm},
                      {"consecutive", consecutive},
                      {"nll_delta", nll_delta},
                      {"divergence", divergence}};
  if (!tasks.empty()) {
    j["tasks"] = tasks;
    j["task_limit"] = task_limit;
  }
  j.update(drop_lists_json(plan));
  return j;
}

namespace {
// A request's JSON without the paths that a non-empty content hash stands for.
nlohmann::json identity_of(nlohmann::json request) {
  for (const auto& [path, hash] : {std::pair{"data", "data_sha256"}, {"model", "model_fingerprint"}})
    if (request.value(hash, "") != "") request.erase(path);
  return request;
}
}  // namespace

nlohmann::json ScoreRequest::identity() const {
  return identity_of(to_json());
}

nlohmann::json scores_to_json(const ImportanceScores& s, const ScoreRequest& request, double elapsed_s) {
  nlohmann::json j = {{"format", "llmdrop-scores/1"}, {"request", request.to_json()},
                      {"tokens", s.tokens},           {"base_nll", s.base_nll},
                      {"elapsed_s", elapsed_s},       {"block", module_json(s.block)},
                      {"attn", module_json(s.attn)},  {"mlp", module_json(s.mlp)}};
  for (const auto& [key, matrix] :
       {std::pair{"consecutive", &s.consecutive}, {"last_token_angular", &s.last_token_angular}})
    if (!matrix->empty()) {
      j[key] = nlohmann::json::array();
      for (const auto& row : *matrix) j[key].push_back(layer_values_json(row));
    }
  for (const TaskImportance& t : s.tasks)
    j["tasks"].push_back({{"task", t.task},
                          {"limit", t.limit},
                          {"documents", t.documents},
                          {"tokens", t.tokens},
                          {"base_nll", t.base_nll},
                          {"block", module_json(t.block)},
                          {"attn", module_json(t.attn)},
                          {"mlp", module_json(t.mlp)}});
  return j;
}

ImportanceScores scores_from_json(const nlohmann::json& j, std::optional<int64_t> layers) {
  if (!j.is_object() || !j.contains("format") || j["format"] != "llmdrop-scores/1")
    throw_bad_input("not an llmdrop score file (format llmdrop-scores/1)");
  try {
    const auto& block = j.value("block", nlohmann::json::object());
    const size_t n = layers ? static_cast<size_t>(*layers)
                            : (block.is_object() && block.contains("cosine") && block["cosine"].is_array()
                                   ? block["cosine"].size()
                                   : 0);
    ImportanceScores s;
    s.block = module_from_json(j, "block", n);
    s.attn = module_from_json(j, "attn", n);
    s.mlp = module_from_json(j, "mlp", n);
    s.tokens = j.value("tokens", int64_t{0});
    s.base_nll = j.value("base_nll", 0.0);
    for (const auto& [key, matrix] :
         {std::pair{"consecutive", &s.consecutive}, {"last_token_angular", &s.last_token_angular}}) {
      if (!j.contains(key)) continue;
      if (!j[key].is_array() || j[key].size() != n)
        throw_bad_input(std::string("score file: '") + key + "' must have one row per layer");
      for (size_t i = 0; i < n; ++i)
        matrix->push_back(read_values(j[key][i], std::string(key) + "[" + std::to_string(i) + "]", n - i));
    }
    const auto request = j.value("request", nlohmann::json::object());
    s.plan = drop_lists_from_json(request, static_cast<int64_t>(n), "score file: request");
    for (const auto& t : j.value("tasks", nlohmann::json::array())) {
      TaskImportance task{.task = t.at("task").get<std::string>(),
                          .limit = t.at("limit").get<int64_t>(),
                          .documents = t.at("documents").get<int64_t>(),
                          .tokens = t.at("tokens").get<int64_t>(),
                          .base_nll = t.at("base_nll").get<double>()};
      for (const auto& [name, m] :
           {std::pair{"block", &task.block}, {"attn", &task.attn}, {"mlp", &task.mlp}}) {
        if (!t.contains(name) || !t[name].contains("nll_delta"))
          throw_bad_input("score file: task " + task.task + " has no " + name + " nll_delta");
        m->nll_delta = read_values(t[name]["nll_delta"], "tasks." + task.task + "." + name, n);
      }
      s.tasks.push_back(std::move(task));
    }
    for (size_t i = 0; i < s.last_token_angular.size(); ++i)  // d(i, i+1), NaN for a dropped block
      s.block.angular_last.push_back(
          is_dropped(s.plan, ModuleKind::Block, int64_t(i)) ? std::nan("") : s.last_token_angular[i].front());
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw_bad_input(std::string("malformed score file: ") + e.what());
  }
}

std::optional<ImportanceScores> load_matching_scores(const fs::path& path, const ScoreRequest& request,
                                                     int64_t layers) {
  if (!is_plain_file(path)) return std::nullopt;
  try {
    const nlohmann::json j = read_json_file(path, kMaxMetadataBytes);
    const auto* stored = json_find(j, "request");
    if (!stored || !stored->is_object() || identity_of(*stored) != request.identity()) return std::nullopt;
    return scores_from_json(j, layers);  // a file of another layer count is not these scores
  } catch (const std::exception&) {
    return std::nullopt;  // an unreadable cache entry is recomputed, not an error
  }
}

fs::path score_cache_path(const ScoreRequest& request) {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  const fs::path base = xdg && *xdg ? fs::path(xdg) : fs::path(home ? home : "/tmp") / ".cache";
  return base / "llmdrop" / "scores" / (sha256_hex(request.identity().dump()).substr(0, 24) + ".json");
}

}  // namespace llmdrop
