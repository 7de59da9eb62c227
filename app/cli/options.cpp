#include "cli/options.h"

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "checkpoint/default_model.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "export/exporter.h"
#include "model/device.h"
#include "model/device_list.h"
#include "model/shapes.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/parse.h"

namespace llmdrop::cli {

void add_model_options(ArgParser& p) {
  p.add_positional(
      "MODEL",
      "Hugging Face model directory, cache entry (models--org--name) or repo id (org/name[@rev], "
      "from the local Hugging Face cache); default: the bundled demo model");
  p.add_option("device", "DEVICE", "cpu, cuda or cuda:N", "cpu");
  p.add_option("dtype", "DTYPE",
               "float32, bfloat16, float16 or auto (float32 on cpu, checkpoint dtype on cuda)", "auto");
  p.add_option("drop-attn", "LIST", "attention layers to drop, e.g. 3,5,7 (overrides config.json)");
  p.add_option("drop-mlp", "LIST", "MLP layers to drop, e.g. 2 (overrides config.json)");
  add_json_flag(p);
}

void add_json_flag(ArgParser& p) {
  p.add_flag("json", "machine-readable output on stdout");
}

void add_calibration_data_option(ArgParser& p) {
  p.add_option("data", "FILE",
               "calibration text: JSON array / JSON Lines with a \"text\" field, or plain .txt");
}

void add_task_data_dir_option(ArgParser& p) {
  p.add_option("data-dir", "DIR",
               "folder holding the tasks' data folders (repeatable; also $LLMDROP_DATA_DIR, ':'-separated)");
}

std::vector<std::filesystem::path> task_data_dirs(const ArgParser& p) {
  std::vector<std::filesystem::path> dirs;
  for (const auto& dir : p.values("data-dir")) dirs.emplace_back(dir);
  if (const char* env = std::getenv("LLMDROP_DATA_DIR"); env && *env) {
    std::stringstream list(env);
    for (std::string dir; std::getline(list, dir, ':');)
      if (!dir.empty()) dirs.emplace_back(dir);
  }
  return dirs;
}

void add_random_weights_options(ArgParser& p, const std::string& what) {
  p.add_flag("random-weights", "no checkpoint: random weights of --shape, made on the device, " + what);
  std::string names;
  for (const auto& name : shape_names()) names += (names.empty() ? "" : ", ") + name;
  p.add_option("shape", "NAME", names, "llama2-7b");
}

void add_stream_layers_flag(ArgParser& p) {
  p.add_flag(
      "stream-layers",
      "keep the decoder layers' weights in the checkpoint and bring one layer at a time to the device, "
      "every sequence passing it before the next (for a model larger than the device's memory)");
}

void add_no_cuda_graphs_flag(ArgParser& p) {
  p.add_flag("no-cuda-graphs", "run the decode step eagerly instead of replaying a CUDA graph (comparison)");
}

Checkpoint open_checkpoint(const ArgParser& p) {
  if (const auto model = p.positional("MODEL")) {
    std::error_code ec;
    if (!std::filesystem::exists(*model, ec))
      if (const auto cached = find_hf_cache_model(*model)) return Checkpoint::open(*cached);
    return Checkpoint::open(*model);
  }
  const auto demo = find_demo_model(executable_dir());
  if (!demo) throw UsageError("no MODEL given and the bundled demo model was not found");
  return Checkpoint::open(*demo);
}

SessionOptions RunOptions::session_options() const {
  return {device.str(), dtype_name(dtype), stream_layers};
}

RunOptions run_options(const ArgParser& p, const ModelConfig& config) {
  // Several --devices and no --device: the first of them ("auto" then picks a GPU's dtype for GPUs).
  std::string device_name = p.value("device");
  if (!p.has("device") && p.has("devices")) {
    const std::string list = p.value("devices");
    device_name = list == "all" ? "cuda" : split_devices(list).front();
  }
  const c10::Device device = parse_device(device_name);
  RunOptions run{device, parse_dtype(p.value("dtype"), config, device), config.drops,
                 p.flag("stream-layers")};
  if (p.has("drop-attn")) run.drops.attn = DropPlan::parse_csv(p.value("drop-attn"), "--drop-attn");
  if (p.has("drop-mlp")) run.drops.mlp = DropPlan::parse_csv(p.value("drop-mlp"), "--drop-mlp");
  run.drops.validate(config.num_layers);
  return run;
}

std::unique_ptr<Session> open_session(const Checkpoint& checkpoint, const RunOptions& run) {
  JobContext job = progress_printer("load");
  return Session::load(checkpoint, run.session_options(), run.drops, job);
}

std::unique_ptr<Session> open_session(const Checkpoint& checkpoint, const RunOptions& run, JobContext& job) {
  return std::make_unique<Session>(checkpoint, run.session_options(), run.drops, job);
}

std::unique_ptr<Session> open_session(const ModelConfig& shape, const RunOptions& run) {
  JobContext job = progress_printer("load");
  return Session::random(shape, run.session_options(), run.drops, job);
}

std::vector<int64_t> token_ids(const ArgParser& p, int64_t vocab_size) {
  const auto ids = parse_int_list(p.value("ids"));
  if (!ids) throw UsageError("--ids: '" + p.value("ids") + "' is not a comma-separated list of token ids");
  for (int64_t id : *ids)
    if (id < 0 || id >= vocab_size)
      throw_bad_input("token ids must lie in [0, " + std::to_string(vocab_size) + "); got " +
                      std::to_string(id));
  return *ids;
}

void add_prompt_options(ArgParser& p) {
  p.add_option("prompt", "TEXT", "the prompt (BOS prepended when the tokenizer has one)");
  p.add_option("ids", "IDS", "the prompt as token ids instead (nothing prepended; no tokenizer needed)");
}

std::optional<Tokenizer> prompt_tokenizer(const ArgParser& p, const Checkpoint& checkpoint) {
  const bool has_tokenizer = std::filesystem::exists(checkpoint.dir / "tokenizer.json") ||
                             std::filesystem::exists(checkpoint.dir / "tokenizer.model");
  if (p.has("ids") && !has_tokenizer) return std::nullopt;
  return Tokenizer::open(checkpoint.dir, checkpoint.config);
}

std::vector<int64_t> prompt_ids(const ArgParser& p, const Checkpoint& checkpoint,
                                const Tokenizer* tokenizer) {
  if (p.has("ids") == p.has("prompt")) throw UsageError("give either --prompt TEXT or --ids IDS");
  if (p.has("ids")) return token_ids(p, checkpoint.config.vocab_size);
  std::vector<int64_t> prompt;
  if (tokenizer->bos_id()) prompt.push_back(*tokenizer->bos_id());
  for (int64_t id : tokenizer->encode(p.value("prompt"))) prompt.push_back(id);
  return prompt;
}

int64_t batch_size(const ArgParser& p, c10::Device device) {
  if (p.value("batch-size") == "auto") return device.is_cpu() ? 1 : 16;
  return p.integer("batch-size", 1, kMaxBatch);
}

std::string output_file(const ArgParser& p, const std::string& option, const Checkpoint* checkpoint) {
  const std::string out = p.value(option);
  if (checkpoint) refuse_output_inside(out, checkpoint->dir, "the model folder");
  std::error_code ec;
  if (std::filesystem::is_directory(out, ec))
    throw_bad_input("--" + option + " " + out + " is a directory; give a file name");
  return out;
}

nlohmann::json export_record(const std::string& command, const Checkpoint& source) {
  return {{"tool", "llmdrop " + command},
          {"source", fs_absolute(source.dir)},
          {"source_fingerprint", weights_fingerprint(source)}};
}

std::string export_dir(const ArgParser& p, const Checkpoint& source) {
  if (!p.has("out")) throw UsageError("--out DIR is required");
  const std::string out = p.value("out");
  check_export_output(source, out);
  return out;
}

}  // namespace llmdrop::cli
