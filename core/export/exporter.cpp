#include "export/exporter.h"

#include "export/tensor_export.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>

#include "checkpoint/drop_plan.h"
#include "checkpoint/family.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/input.h"
#include "util/sha256.h"

namespace llmdrop {
namespace fs = std::filesystem;

namespace {

nlohmann::json read_raw_config(const fs::path& dir) {
  return read_json_file(dir / "config.json");
}

void write_json(const fs::path& path, const nlohmann::json& j) {
  write_file_atomically(path, j.dump(2) + "\n");
}

// "model.layers.N.REST" → {"N", "REST"} (N one or more ASCII digits); nullopt for any other tensor name.
std::optional<std::pair<std::string, std::string>> parse_layer_name(const std::string& name) {
  static const std::string prefix = "model.layers.";
  if (name.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  size_t end = prefix.size();
  while (end < name.size() && name[end] >= '0' && name[end] <= '9') ++end;
  if (end == prefix.size() || end == name.size() || name[end] != '.') return std::nullopt;
  return std::pair{name.substr(prefix.size(), end - prefix.size()), name.substr(end + 1)};
}

// Checks OUT, then builds the export in a sibling staging directory that `publish` renames into place, so an
// interrupted export leaves nothing behind that looks finished.
fs::path prepare_output(const Checkpoint& source, const fs::path& out) {
  check_export_output(source, out);
  const fs::path target = output_path(out);  // "out/" names the folder "out", not an entry inside it
  fs::create_directories(target.parent_path());
  const fs::path staging = target.parent_path() / ("." + target.filename().string() + ".partial");
  fs::remove_all(staging);
  fs::create_directory(staging);
  return staging;
}

void publish(const fs::path& staging, const fs::path& out) {
  const fs::path target = output_path(out);
  if (fs::exists(target)) fs::remove(target);  // checked empty in prepare_output
  fs::rename(staging, target);
}

// Runs `build` into a staging directory and publishes it; on failure the staging directory is removed.
void export_with_staging(const Checkpoint& source, const fs::path& out,
                         const std::function<void(const fs::path&)>& build) {
  const fs::path staging = prepare_output(source, out);
  try {
    build(staging);
    publish(staging, out);
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
    throw;
  }
}

bool is_weight_file(const fs::path& p) {
  const std::string name = p.filename().string();
  return p.extension() == ".safetensors" || name == "model.safetensors.index.json" ||
         name.rfind("pytorch_model", 0) == 0;
}

// LLM-Drop's modeling code registers these for llama, mistral and gemma2.
void add_drop_lists(nlohmann::json& config, const DropPlan& plan) {
  config.update(drop_lists_json(plan));
  const std::string type = config.value("model_type", "");
  static const std::map<std::string, std::string> families = {
      {"llama", "Llama"}, {"mistral", "Mistral"}, {"gemma2", "Gemma2"}};
  if (auto it = families.find(type); it != families.end())
    config["auto_map"] = {
        {"AutoConfig", "configuration_dropped_" + type + "." + it->second + "Config"},
        {"AutoModelForCausalLM", "modeling_dropped_" + type + "." + it->second + "ForCausalLM"}};
}

const char* safetensors_dtype(at::ScalarType t) {
  return t == at::kFloat ? "F32" : t == at::kBFloat16 ? "BF16" : t == at::kInt ? "I32" : "F16";
}

}  // namespace

ExportTensor ExportTensor::of(const at::Tensor& made) {
  return {made.sizes().vec(), made.scalar_type(), [made] { return made; }};
}

void write_safetensors(const fs::path& path, const std::map<std::string, at::Tensor>& tensors,
                       JobContext& job) {
  std::map<std::string, ExportTensor> made;
  for (const auto& [name, t] : tensors) made.emplace(name, ExportTensor::of(t));
  write_safetensors(path, made, job);
}

void write_safetensors(const fs::path& path, const std::map<std::string, ExportTensor>& tensors,
                       JobContext& job) {
  nlohmann::json header = {{"__metadata__", {{"format", "pt"}}}};
  size_t offset = 0;
  for (const auto& [name, t] : tensors) {
    size_t bytes = c10::elementSize(t.dtype);
    for (const int64_t d : t.shape) bytes *= static_cast<size_t>(d);
    header[name] = {{"dtype", safetensors_dtype(t.dtype)},
                    {"shape", t.shape},
                    {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // keeps the data section 8-byte aligned
  write_file_atomically(path, [&](std::ofstream& out) {
    const uint64_t n = text.size();
    out.write(reinterpret_cast<const char*>(&n), 8);
    out << text;
    int64_t written = 0;
    for (const auto& [name, t] : tensors) {
      job.throw_if_cancelled();
      job.report(written++, static_cast<int64_t>(tensors.size()), name);
      const at::Tensor c = t.make().contiguous();
      if (c.sizes().vec() != t.shape || c.scalar_type() != t.dtype || !c.device().is_cpu())
        throw std::logic_error("write_safetensors: " + name + " was not made as its header says");
      out.write(static_cast<const char*>(c.data_ptr()), static_cast<std::streamsize>(c.nbytes()));
    }
    job.report(written, written, "written");
  });
}

void check_export_output(const Checkpoint& source, const fs::path& out) {
  const fs::path target = output_path(out);
  refuse_output_inside(target, source.dir, "the source model folder");
  std::error_code ec;
  if (fs::exists(target, ec) && (!fs::is_directory(target, ec) || !fs::is_empty(target, ec)))
    throw_bad_input("output " + out.string() + " already exists and is not an empty directory");
}

void export_drop_config(const Checkpoint& source, const DropPlan& plan, const fs::path& out,
                        const nlohmann::json& record) {
  plan.validate(source.config.num_layers);
  export_with_staging(source, out, [&](const fs::path& dir) {
    nlohmann::json config = read_raw_config(source.dir);
    add_drop_lists(config, plan);
    for (const auto& entry : fs::directory_iterator(source.dir)) {
      const std::string name = entry.path().filename().string();
      if (name == "config.json" || name == "drop_record.json" || !entry.is_regular_file()) continue;
      fs::create_symlink(fs::canonical(entry.path()), dir / name);
    }
    write_json(dir / "drop_record.json", record);
    write_json(dir / "config.json", config);
  });
}

std::map<int64_t, int64_t> kept_layers(const ModelConfig& cfg, const DropPlan& plan) {
  const bool blocks_only = plan.attn == plan.mlp;
  std::map<int64_t, int64_t> renumber;
  for (int64_t i = 0, next = 0; i < cfg.num_layers; ++i)
    if (!(blocks_only && plan.attn_dropped(i))) renumber[i] = blocks_only ? next++ : i;
  return renumber;
}

std::optional<std::string> exported_tensor_name(const ModelConfig& cfg, const DropPlan& plan,
                                                const std::string& name) {
  const auto layer_name = parse_layer_name(name);
  if (!layer_name) return name;
  const auto& [digits, rest] = *layer_name;
  const int64_t layer = digits.size() > 18 ? INT64_MAX : std::stoll(digits);
  if (layer >= cfg.num_layers)
    throw_bad_input("tensor " + name + " belongs to layer " + digits + ", but config.json has " +
                    std::to_string(cfg.num_layers) + " layers");
  if (plan.attn != plan.mlp) return name;  // modules dropped within blocks: the numbering stays
  const std::map<int64_t, int64_t> kept = kept_layers(cfg, plan);
  if (!kept.count(layer)) return std::nullopt;
  return "model.layers." + std::to_string(kept.at(layer)) + "." + rest;
}

void export_pruned(const Checkpoint& source, const DropPlan& plan, const fs::path& out,
                   const nlohmann::json& record, JobContext& job) {
  export_pruned(source, plan, out, record, job, TensorOverrides{});
}

void export_pruned(const Checkpoint& source, const DropPlan& plan, const fs::path& out,
                   const nlohmann::json& record, JobContext& job, const TensorOverrides& overrides) {
  const ModelConfig& cfg = source.config;
  plan.validate(cfg.num_layers);
  const bool blocks_only = plan.attn == plan.mlp;
  const ModelFamily& family = family_for(cfg.model_type);
  std::set<std::string> dropped;
  for (int64_t i = 0; i < cfg.num_layers; ++i) {
    // A dropped module's tensors all go, its norms included (and any packed parts of its linears).
    std::vector<std::string> names;
    if (plan.attn_dropped(i)) names = family.attention(cfg, i).all();
    if (plan.mlp_dropped(i))
      for (const auto& name : family.mlp(cfg, i).all()) names.push_back(name);
    for (const auto& name : names) {
      dropped.insert(name);
      if (const std::string prefix = packed_prefix(name); !prefix.empty())
        for (const char* part : {".qweight", ".qzeros", ".scales", ".g_idx"}) dropped.insert(prefix + part);
    }
  }
  const std::map<int64_t, int64_t> renumber = kept_layers(cfg, plan);
  std::map<std::string, ExportTensor> tensors;
  std::set<std::string> names;
  for (const auto& name : source.tensors->names())
    if (!overrides.removed.count(name)) names.insert(name);
  for (const auto& [name, t] : overrides.added) names.insert(name);
  for (const auto& name : names) {
    if (dropped.count(name)) continue;
    const std::optional<std::string> new_name = exported_tensor_name(cfg, plan, name);
    if (!new_name) continue;
    ExportTensor t =
        overrides.added.count(name) ? overrides.added.at(name) : ExportTensor::of(source.tensors->view(name));
    if (overrides.float_dtype && at::isFloatingType(t.dtype))
      t = {t.shape, *overrides.float_dtype,
           [make = t.make, dtype = *overrides.float_dtype] { return make().to(dtype); }};
    tensors[*new_name] = std::move(t);
  }

  nlohmann::json config = read_raw_config(source.dir);
  config.erase("drop_attn_list");
  config.erase("drop_mlp_list");
  config.erase("auto_map");
  config.merge_patch(overrides.config_patch);
  if (blocks_only) {
    config["num_hidden_layers"] = static_cast<int64_t>(renumber.size());
    // Attention types per remaining layer, written out explicitly when any layer uses a sliding window
    // (a max_window_layers threshold would shift with the renumbering).
    const bool any_window =
        std::any_of(cfg.sliding_window.begin(), cfg.sliding_window.end(), [](int64_t w) { return w > 0; });
    if (config.contains("layer_types") || (any_window && cfg.model_type == "qwen2")) {
      nlohmann::json kept = nlohmann::json::array();
      for (const auto& [old_index, new_index] : renumber)
        kept.push_back(cfg.sliding_window[old_index] > 0 ? "sliding_attention" : "full_attention");
      config["layer_types"] = kept;
    }
  } else {
    add_drop_lists(config, plan);
  }
  export_with_staging(source, out, [&](const fs::path& dir) {
    write_safetensors(dir / "model.safetensors", tensors, job);
    for (const auto& entry : fs::directory_iterator(source.dir)) {
      const std::string name = entry.path().filename().string();
      if (!entry.is_regular_file() || is_weight_file(entry.path()) || name == "config.json" ||
          name == "drop_record.json")
        continue;
      fs::copy_file(entry.path(), dir / name);
    }
    write_json(dir / "drop_record.json", record);
    write_json(dir / "config.json", config);
  });
}

}  // namespace llmdrop
