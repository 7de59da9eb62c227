#include "project/project_file.h"

#include <limits>
#include <nlohmann/json.hpp>

#include "analysis/score_file.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/input.h"

namespace llmdrop {

namespace {

constexpr const char* kFormat = "llmdrop-project/1";

const nlohmann::json& field(const nlohmann::json& j, const std::string& name) {
  if (!j.contains(name)) throw_bad_input("project file: field '" + name + "' is missing");
  return j.at(name);
}

}  // namespace

nlohmann::json project_to_json(const Project& p) {
  nlohmann::json j = {{"format", kFormat},
                      {"model", p.model_dir},
                      {"metric", to_string(p.metric)},
                      {"results", nlohmann::json::array()}};
  j.update(drop_lists_json(p.plan));
  if (p.scores) {
    ScoreRequest request;
    request.model_dir = p.model_dir;
    request.plan = p.scores->plan;
    j["scores"] = scores_to_json(*p.scores, request, 0);
  }
  for (const auto& column : p.results) {
    nlohmann::json cells = nlohmann::json::array();
    for (const auto& [row, text] : column.cells) cells.push_back({row, text});
    j["results"].push_back({{"label", column.label}, {"cells", cells}});
  }
  return j;
}

Project project_from_json(const nlohmann::json& j) {
  const auto* format = json_find(j, "format");
  if (!format || *format != kFormat)
    throw_bad_input(std::string("not an llmdrop project file (format ") + kFormat + ")");
  Project p;
  const auto& model = field(j, "model");
  if (!model.is_string() || model.get<std::string>().empty())
    throw_bad_input("project file: field 'model' must name the model folder");
  p.model_dir = model.get<std::string>();
  // Indices only: the layer count is checked when the model is opened.
  p.plan = drop_lists_from_json(j, std::numeric_limits<int64_t>::max(), "project file");
  const nlohmann::json metric = j.value("metric", nlohmann::json("cosine"));
  if (!metric.is_string()) throw_bad_input("project file: field 'metric' must be a string");
  p.metric = parse_metric(metric.get<std::string>());
  if (j.contains("scores") && !j["scores"].is_null()) p.scores = scores_from_json(j["scores"]);
  const nlohmann::json results = j.value("results", nlohmann::json::array());
  if (!results.is_array()) throw_bad_input("project file: field 'results' must be a list");
  for (const auto& c : results) {
    if (!c.is_object() || !c.contains("label") || !c["label"].is_string() || !c.contains("cells") ||
        !c["cells"].is_array())
      throw_bad_input("project file: every entry of 'results' needs a 'label' and 'cells'");
    ResultsColumn column{c["label"].get<std::string>(), {}};
    for (const auto& cell : c["cells"]) {
      if (!cell.is_array() || cell.size() != 2 || !cell[0].is_string() || !cell[1].is_string())
        throw_bad_input("project file: a results cell must be [row, text]");
      column.cells.emplace_back(cell[0].get<std::string>(), cell[1].get<std::string>());
    }
    p.results.push_back(std::move(column));
  }
  return p;
}

void save_project(const Project& project, const std::filesystem::path& path) {
  write_file_atomically(path, project_to_json(project).dump(1) + "\n");
}

Project load_project(const std::filesystem::path& path) {
  const nlohmann::json j = parse_json(read_file(path, kMaxMetadataBytes), "project file " + path.string());
  try {
    return project_from_json(j);
  } catch (const Error& e) {
    throw_bad_input(path.string() + ": " + e.what());
  }
}

}  // namespace llmdrop
