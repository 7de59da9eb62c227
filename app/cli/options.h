#pragma once
// The options the commands share, parsed once into typed values: the model, where and how it runs, its
// drops, token ids, batch sizes and output paths. Core takes device and dtype by name; session_options() is
// the one place that converts. Every command that runs a model runs it in one Session (open_session).
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checkpoint/checkpoint.h"
#include "checkpoint/drop_plan.h"
#include "checkpoint/tokenizer.h"
#include "cli/arg_parser.h"
#include "session/session.h"

namespace llmdrop::cli {

// Bounds of counts and lengths on the command line, far above any real run and low enough that products of
// two of them cannot overflow.
constexpr long long kMaxCount = 1LL << 24, kMaxLength = 1LL << 24, kMaxBatch = 1LL << 16;

// MODEL, --device, --dtype, --drop-attn, --drop-mlp and --json.
void add_model_options(ArgParser& p);
// --json alone, for the commands without a model to run.
void add_json_flag(ArgParser& p);
// --data FILE: calibration text, for the commands that run the model on it.
void add_calibration_data_option(ArgParser& p);
// --data-dir DIR (repeatable): where tasks' data folders are, for the commands that run lm-eval-style tasks.
void add_task_data_dir_option(ArgParser& p);
// The folders of --data-dir, then those of $LLMDROP_DATA_DIR (':'-separated).
std::vector<std::filesystem::path> task_data_dirs(const ArgParser& p);
// --no-cuda-graphs, for the commands that decode.
void add_no_cuda_graphs_flag(ArgParser& p);
// --random-weights and --shape NAME (the published shapes of model/shapes), for the commands that can run a
// model of a shape without its checkpoint; `what` says what they then run on.
void add_random_weights_options(ArgParser& p, const std::string& what);
// --stream-layers, for the commands that walk the layers over many sequences (score, drop, perplexity, eval).
void add_stream_layers_flag(ArgParser& p);

// MODEL (a folder, or a repo id from the Hugging Face cache when no such folder exists), or the bundled demo
// model when none is given.
Checkpoint open_checkpoint(const ArgParser& p);

// How a model of a given config runs: --device, --dtype and the drops.
struct RunOptions {
  c10::Device device;
  c10::ScalarType dtype;       // "auto" resolved for the model's config and the device
  DropPlan drops;              // config.json's lists, each replaced by --drop-attn / --drop-mlp when given
  bool stream_layers = false;  // --stream-layers, where the command has it

  SessionOptions session_options() const;
};
// Throws BadInput for an unknown device or dtype, or a layer index the model does not have.
RunOptions run_options(const ArgParser& p, const ModelConfig& config);

// The session of a command: the checkpoint loaded once as `run` says, with progress on stderr as "[load] …"
// (Session::load), or as the first step of `job` (a command that reports its load and work as one job).
std::unique_ptr<Session> open_session(const Checkpoint& checkpoint, const RunOptions& run);
std::unique_ptr<Session> open_session(const Checkpoint& checkpoint, const RunOptions& run, JobContext& job);
// The same on random weights of `shape` (Session::random), made on the device.
std::unique_ptr<Session> open_session(const ModelConfig& shape, const RunOptions& run);

// --ids as token ids of the model's vocabulary.
std::vector<int64_t> token_ids(const ArgParser& p, int64_t vocab_size);
// --prompt TEXT or --ids IDS, for commands that run a model on one prompt.
void add_prompt_options(ArgParser& p);
// The checkpoint's tokenizer, or none with --ids when the checkpoint has none (a random-weight model still
// runs on ids).
std::optional<Tokenizer> prompt_tokenizer(const ArgParser& p, const Checkpoint& checkpoint);
// A prompt as exact token ids (--ids; no tokenizer needed, nothing prepended) or as text (--prompt: BOS, when
// the tokenizer has one, then its ids); UsageError unless exactly one is given.
std::vector<int64_t> prompt_ids(const ArgParser& p, const Checkpoint& checkpoint, const Tokenizer* tokenizer);

// --batch-size, where "auto" is 1 on a CPU and 16 on a GPU: batching pays on a GPU; on a CPU padding and the
// quadratic attention of long packed rows cost more.
int64_t batch_size(const ArgParser& p, c10::Device device);

// The file named by an output option, checked before any work: never inside the model's folder (a score
// file named model.safetensors would destroy the checkpoint), never a directory.
std::string output_file(const ArgParser& p, const std::string& option, const Checkpoint* checkpoint);
// --out DIR, required, for an export of `source`: checked before the work, not after it.
std::string export_dir(const ArgParser& p, const Checkpoint& source);
// What an export's drop_record.json says first: the command ("llmdrop COMMAND"), the source folder and its
// weights' fingerprint.
nlohmann::json export_record(const std::string& command, const Checkpoint& source);

}  // namespace llmdrop::cli
