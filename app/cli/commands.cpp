#include "cli/commands.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analysis/calibration.h"
#include "analysis/importance.h"
#include "analysis/score_checkpoint.h"
#include "analysis/score_file.h"
#include "analysis/selection.h"
#include "bench/speed.h"
#include "checkpoint/checkpoint.h"
#include "checkpoint/default_model.h"
#include "checkpoint/summary.h"
#include "checkpoint/tokenizer.h"
#include "eval/evaluator.h"
#include "eval/perplexity.h"
#include "eval/task.h"
#include "export/exporter.h"
#include "model/device.h"
#include "model/generation.h"
#include "model/model.h"
#include "model/shapes.h"
#include "quant/quantize_checkpoint.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/parse.h"
#include "util/read_file.h"
#include "util/sha256.h"

namespace llmdrop::cli {

namespace {

// Options every command takes.
void add_model_options(ArgParser& p) {
  p.add_positional("MODEL",
                   "Hugging Face model directory or cache entry (models--org--name); default: the "
                   "bundled demo model");
  p.add_option("device", "DEVICE", "cpu, cuda or cuda:N", "cpu");
  p.add_option("dtype", "DTYPE",
               "float32, bfloat16, float16 or auto (float32 on cpu, checkpoint dtype on cuda)", "auto");
  p.add_option("drop-attn", "LIST", "attention layers to drop, e.g. 3,5,7 (overrides config.json)");
  p.add_option("drop-mlp", "LIST", "MLP layers to drop, e.g. 2 (overrides config.json)");
  p.add_flag("json", "machine-readable output on stdout");
}

Checkpoint open_checkpoint(const ArgParser& p) {
  if (const auto model = p.positional("MODEL")) return Checkpoint::open(*model);
  const auto demo = find_demo_model(executable_dir());
  if (!demo) throw UsageError("no MODEL given and the bundled demo model was not found");
  return Checkpoint::open(*demo);
}

DropPlan drop_plan(const ArgParser& p, const ModelConfig& config) {
  DropPlan plan = config.drops;
  if (p.has("drop-attn")) plan.attn = DropPlan::parse_csv(p.value("drop-attn"), "--drop-attn");
  if (p.has("drop-mlp")) plan.mlp = DropPlan::parse_csv(p.value("drop-mlp"), "--drop-mlp");
  plan.validate(config.num_layers);
  return plan;
}

// Every command's jobs hang below this one: Ctrl-C cancels the running job between layers or batches (its
// partial output is removed); a second Ctrl-C ends the process at once.
JobContext& interrupt_root() {
  static JobContext root;
  static const bool installed = [] {
    std::signal(SIGINT, [](int) {
      if (root.cancelled()) {
        std::signal(SIGINT, SIG_DFL);
        std::raise(SIGINT);
      }
      root.cancel();
    });
    return true;
  }();
  (void)installed;
  return root;
}

// Progress on stderr: one line per step, at most a few per second.
JobContext progress_printer(const std::string& what) {
  auto last = std::make_shared<std::chrono::steady_clock::time_point>();
  return JobContext(interrupt_root(), [what, last](const Progress& progress) {
    const auto now = std::chrono::steady_clock::now();
    if (progress.done < progress.total && now - *last < std::chrono::milliseconds(250)) return;
    *last = now;
    std::cerr << "[" << what << "] " << progress.done << "/" << progress.total << " " << progress.message
              << "\n";
  });
}

std::unique_ptr<Model> load_model(const ArgParser& p, const Checkpoint& checkpoint) {
  LoadOptions options;
  options.device = p.value("device");
  options.dtype = p.value("dtype");
  options.drops = drop_plan(p, checkpoint.config);
  JobContext job = progress_printer("load");
  return Model::load(checkpoint, options, job);
}

void print_json(const nlohmann::json& j) {
  std::cout << j.dump() << std::endl;
}

std::string fs_absolute(const std::filesystem::path& path) {
  return std::filesystem::absolute(path).string();
}

void run_info(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  const c10::Device device = parse_device(p.value("device"));
  const std::string dtype = dtype_name(parse_dtype(p.value("dtype"), ckpt.config, device));
  const ModelSummary s = summarize(ckpt, drop_plan(p, ckpt.config), dtype);
  if (p.flag("json")) return print_json(to_json(s));
  std::cout << "path:               " << s.path << "\n"
            << "family:             " << s.family << "\n"
            << "layers:             " << s.layers << "\n"
            << "hidden size:        " << s.hidden_size << " (intermediate " << s.intermediate_size << ")\n"
            << "heads / kv-heads:   " << s.heads << " / " << s.kv_heads << " (head dim " << s.head_dim
            << ")\n"
            << "vocabulary:         " << s.vocab_size << "\n"
            << "rope:               " << s.rope << "\n"
            << "sliding window:     " << (s.sliding_window ? std::to_string(s.sliding_window) : "none")
            << "\n"
            << "tied embeddings:    " << (s.tied_embeddings ? "yes" : "no") << "\n"
            << "parameters:         " << s.parameters << " (" << s.active_parameters
            << " without dropped modules)\n"
            << "stored dtype:       " << s.stored_dtype << "\n"
            << "drop_attn_list:     [" << format_indices(s.drops.attn) << "]\n"
            << "drop_mlp_list:      [" << format_indices(s.drops.mlp) << "]\n"
            << "KV cache per token: " << s.kv_bytes_per_token << " bytes in " << s.runtime_dtype << " ("
            << s.kv_bytes_per_token_full << " without drops)\n";
}

void run_tokenize(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  const Tokenizer tok = Tokenizer::open(ckpt.dir, ckpt.config);
  const auto ids = tok.encode(p.value("text"));
  if (p.flag("json")) return print_json({{"ids", ids}});
  for (size_t i = 0; i < ids.size(); ++i) std::cout << (i ? "," : "") << ids[i];
  std::cout << "\n";
}

void run_logprobs(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  const auto parsed = parse_int_list(p.value("ids"));
  if (!parsed) throw UsageError("--ids: '" + p.value("ids") + "' is not a comma-separated list of token ids");
  const std::vector<int64_t>& ids = *parsed;
  for (int64_t id : ids)  // checked before the (possibly long) load
    if (id < 0 || id >= ckpt.config.vocab_size)
      throw_bad_input("token ids must lie in [0, " + std::to_string(ckpt.config.vocab_size) + "); got " +
                      std::to_string(id));
  const auto model = load_model(p, ckpt);
  const auto logprobs = next_token_logprobs(*model, ids);
  double sum = 0;
  for (double lp : logprobs) sum += lp;
  if (p.flag("json")) return print_json({{"logprobs", logprobs}, {"sum", sum}});
  for (size_t i = 0; i < logprobs.size(); ++i) std::cout << ids[i + 1] << "\t" << logprobs[i] << "\n";
  std::cout << "sum\t" << sum << "\n";
}

// The prompt as exact token ids (--ids; no tokenizer needed, nothing prepended) or as text.
std::vector<int64_t> generation_prompt(const ArgParser& p, const Checkpoint& ckpt, const Tokenizer* tok) {
  if (p.has("ids") == p.has("prompt")) throw UsageError("give either --prompt TEXT or --ids IDS");
  if (!p.has("ids")) {
    std::vector<int64_t> prompt;
    if (tok->bos_id()) prompt.push_back(*tok->bos_id());
    for (int64_t id : tok->encode(p.value("prompt"))) prompt.push_back(id);
    return prompt;
  }
  const auto ids = parse_int_list(p.value("ids"));
  if (!ids || ids->empty())
    throw UsageError("--ids: '" + p.value("ids") + "' is not a comma-separated list of token ids");
  for (int64_t id : *ids)
    if (id < 0 || id >= ckpt.config.vocab_size)
      throw_bad_input("token ids must lie in [0, " + std::to_string(ckpt.config.vocab_size) + "); got " +
                      std::to_string(id));
  return *ids;
}

void run_generate(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  // With --ids a checkpoint without tokenizer.model (a random-weight model) still generates ids.
  std::optional<Tokenizer> tok;
  if (!p.has("ids") || std::filesystem::exists(ckpt.dir / "tokenizer.model"))
    tok.emplace(Tokenizer::open(ckpt.dir, ckpt.config));
  const std::vector<int64_t> prompt = generation_prompt(p, ckpt, tok ? &*tok : nullptr);
  SamplingOptions options;
  options.max_new_tokens = p.integer("max-new-tokens");
  options.greedy = p.flag("greedy") || !(p.has("temperature") || p.has("top-p"));
  options.temperature = p.number("temperature");
  options.top_p = p.number("top-p");
  options.seed = static_cast<uint64_t>(p.integer("seed"));
  options.stop_token =
      tok ? tok->eos_id()
          : (ckpt.config.eos_token_ids.empty() ? std::nullopt
                                               : std::optional(ckpt.config.eos_token_ids.front()));
  options.cuda_graphs = !p.flag("no-cuda-graphs");
  if (!(options.top_p > 0 && options.top_p <= 1)) throw UsageError("--top-p must be in (0, 1]");
  if (!std::isfinite(options.temperature) || options.temperature < 0)
    throw UsageError("--temperature must be a finite number >= 0");
  const auto model = load_model(p, ckpt);
  JobContext job = progress_printer("generate");
  const auto new_ids = generate(*model, prompt, options, job);
  if (!tok) {
    if (p.flag("json")) return print_json({{"ids", prompt}, {"new_ids", new_ids}});
    for (size_t i = 0; i < new_ids.size(); ++i) std::cout << (i ? "," : "") << new_ids[i];
    std::cout << "\n";
    return;
  }
  const std::string text = tok->decode_continuation(prompt, new_ids);
  if (p.flag("json")) return print_json({{"ids", prompt}, {"new_ids", new_ids}, {"text", text}});
  std::cout << (p.has("prompt") ? p.value("prompt") : tok->decode(prompt)) << text << "\n";
}

void run_perplexity(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  const Tokenizer tok = Tokenizer::open(ckpt.dir, ckpt.config);
  const auto tokens = tok.encode(read_file(p.value("data")));
  const auto model = load_model(p, ckpt);
  JobContext job = progress_printer("perplexity");
  const auto r =
      perplexity(*model, tokens, tok.bos_id(), p.integer("seq-len"), p.integer("max-windows"), job);
  if (p.flag("json"))
    return print_json(
        {{"ppl", r.ppl}, {"tokens", r.tokens}, {"windows", r.windows}, {"mean_nll", r.mean_nll}});
  std::cout << "perplexity " << r.ppl << " over " << r.tokens << " tokens (" << r.windows << " windows)\n";
}

void run_quantize(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  if (!p.has("out")) throw UsageError("--out DIR is required");
  QuantizeRequest request;
  request.scheme.method = parse_quant_method(p.value("method"));
  request.scheme.bits = static_cast<int>(p.integer("bits"));
  request.scheme.group_size = p.integer("group-size");
  request.scheme.sym = p.flag("sym");
  request.scheme.desc_act = p.flag("desc-act");
  request.scheme.mse = p.flag("mse");
  request.scheme.damp_percent = p.number("damp");
  request.scheme.validate();
  if (request.scheme.method != QuantMethod::rtn && !p.has("data"))
    throw UsageError("--data FILE (calibration text) is required for " + to_string(request.scheme.method));
  if (p.has("data")) request.data = p.value("data");
  request.samples = p.integer("samples");
  request.seq_len = p.integer("seq-len");
  request.batch_size = p.integer("batch-size");
  if (request.samples < 1 || request.seq_len < 1 || request.batch_size < 1)
    throw UsageError("--samples, --seq-len and --batch-size must be at least 1");
  request.device = p.value("device");
  request.dtype = p.value("dtype");
  request.drops = drop_plan(p, ckpt.config);
  nlohmann::json record = {
      {"tool", "llmdrop quantize"},
      {"source", fs_absolute(ckpt.dir)},
      {"source_fingerprint", weights_fingerprint(ckpt)},
      {"quantization_config", quantization_config_json(request.scheme)},
      {"drop_attn_list", std::vector<int64_t>(request.drops.attn.begin(), request.drops.attn.end())},
      {"drop_mlp_list", std::vector<int64_t>(request.drops.mlp.begin(), request.drops.mlp.end())}};
  if (p.has("data")) {
    record["data"] = fs_absolute(request.data);
    record["data_sha256"] = sha256_file(request.data);
    record["samples"] = request.samples;
    record["seq_len"] = request.seq_len;
  }
  JobContext job = progress_printer("quantize");
  const QuantizeResult r = quantize_checkpoint(ckpt, request, p.value("out"), record, job);
  const nlohmann::json out = {{"out", fs_absolute(p.value("out"))},
                              {"method", to_string(request.scheme.method)},
                              {"bits", request.scheme.bits},
                              {"group_size", request.scheme.group_size},
                              {"linears", r.linears},
                              {"tokens", r.tokens},
                              {"seconds", r.seconds}};
  if (p.flag("json")) return print_json(out);
  std::cout << "quantized " << r.linears << " linear layers (" << to_string(request.scheme.method) << ", "
            << request.scheme.bits << " bits, group " << request.scheme.group_size << ") on " << r.tokens
            << " calibration tokens in " << r.seconds << " s\nwrote " << out["out"].get<std::string>()
            << "\n";
}

void run_dequantize(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  if (!p.has("out")) throw UsageError("--out DIR is required");
  JobContext job = progress_printer("dequantize");
  export_dequantized(ckpt, p.value("out"),
                     {{"tool", "llmdrop dequantize"},
                      {"source", fs_absolute(ckpt.dir)},
                      {"source_fingerprint", weights_fingerprint(ckpt)}},
                     job);
  if (p.flag("json")) return print_json({{"out", fs_absolute(p.value("out"))}});
  std::cout << "wrote " << fs_absolute(p.value("out")) << "\n";
}

// Calibration options shared by score and drop.
void add_calibration_options(ArgParser& p) {
  p.add_option("data", "FILE",
               "calibration text: JSON array / JSON Lines with a \"text\" field, or plain .txt");
  p.add_option("samples", "N", "calibration blocks", "256");
  p.add_option("seq-len", "N", "tokens per block", "2048");
  p.add_option("batch-size", "N", "blocks per forward pass (does not change the numbers)", "1");
  p.add_option("metric", "METRIC", "cosine, angular or nll-delta (measured effect of dropping each module)",
               "cosine");
  p.add_flag("no-norm",
             "LLM-Drop's layer_drop_norm=False: compare LN(h) with F(LN(h)) instead of h with h+F");
  p.add_flag("no-cache", "recompute even when scores for the same request are cached");
}

struct ScoredModel {
  ImportanceScores scores;
  ScoreRequest request;
  bool reused = false;
};

// Scores for the request these options describe: reused from --out or the cache when they match, else
// computed.
ScoredModel score_model(const ArgParser& p, const Checkpoint& ckpt, bool consecutive,
                        const std::string& out_file) {
  const std::string data = p.value("data");
  ScoredModel result;
  ScoreRequest& r = result.request;
  r.model_dir = fs_absolute(ckpt.dir);
  r.model_fingerprint = weights_fingerprint(ckpt);
  r.data_path = fs_absolute(data);
  r.data_sha256 = sha256_file(data);
  r.samples = p.integer("samples");
  r.seq_len = p.integer("seq-len");
  const c10::Device device = parse_device(p.value("device"));
  r.device = p.value("device");
  r.dtype = dtype_name(parse_dtype(p.value("dtype"), ckpt.config, device));
  r.layer_drop_norm = !p.flag("no-norm");
  r.consecutive = consecutive;
  r.nll_delta = parse_metric(p.value("metric")) == Metric::NllDelta;
  r.plan = drop_plan(p, ckpt.config);
  const auto cache = score_cache_path(r);
  if (!p.flag("no-cache")) {
    for (const auto& candidate : {std::filesystem::path(out_file), cache}) {
      if (candidate.empty()) continue;
      if (auto reused = load_matching_scores(candidate, r)) {
        std::cerr << "[score] reusing " << candidate.string() << "\n";
        result.scores = *reused;
        result.reused = true;
        return result;
      }
    }
  }
  ScoreCheckpointRequest request;
  request.data = data;
  request.samples = r.samples;
  request.seq_len = r.seq_len;
  request.device = r.device;
  request.dtype = r.dtype;
  request.drops = r.plan;
  request.options.batch_size = p.integer("batch-size");
  request.options.layer_drop_norm = r.layer_drop_norm;
  request.options.consecutive = consecutive;
  request.options.nll_delta = r.nll_delta;
  JobContext job = progress_printer("score");
  const auto start = std::chrono::steady_clock::now();
  result.scores = score_checkpoint(ckpt, request, job);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string file = scores_to_json(result.scores, r, elapsed).dump(1) + "\n";
  if (!out_file.empty()) write_file_atomically(out_file, file);
  try {  // the cache only saves time: failing to write it must not lose the scores
    std::filesystem::create_directories(cache.parent_path());
    write_file_atomically(cache, file);
  } catch (const std::exception& e) {
    std::cerr << "[score] warning: cannot cache scores in " << cache.string() << ": " << e.what() << "\n";
  }
  return result;
}

nlohmann::json target_json(const ModuleScores& m, Metric metric) {
  return {{"similarity", layer_values_json(m.similarity(metric))},
          {"importance", layer_values_json(m.importance(metric))}};
}

void run_score(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  const std::string target = p.value("target");
  const Metric metric = parse_metric(p.value("metric"));
  if (target != "all") parse_module_kind(target);
  const ScoredModel scored = score_model(p, ckpt, p.flag("consecutive"), p.has("out") ? p.value("out") : "");
  const ImportanceScores& s = scored.scores;
  nlohmann::json out = {{"target", target},
                        {"metric", to_string(metric)},
                        {"tokens", s.tokens},
                        {"base_nll", s.base_nll},
                        {"reused", scored.reused}};
  if (target == "all") {
    out["attn"] = target_json(s.attn, metric);
    out["mlp"] = target_json(s.mlp, metric);
    out["block"] = target_json(s.block, metric);
  } else {
    out.update(target_json(s.of(parse_module_kind(target)), metric));
  }
  if (!s.consecutive.empty()) out["consecutive"] = scores_to_json(s, scored.request, 0)["consecutive"];
  if (p.flag("json")) return print_json(out);
  std::cout << "layer  similarity (" << to_string(metric) << "; higher = more redundant)\n"
            << "       block      attn       mlp\n";
  const auto block = s.block.similarity(metric), attn = s.attn.similarity(metric),
             mlp = s.mlp.similarity(metric);
  for (size_t i = 0; i < block.size(); ++i) {
    char line[96];
    std::snprintf(line, sizeof line, "%5zu  %9.6f  %9.6f  %9.6f\n", i, block[i], attn[i], mlp[i]);
    std::cout << line;
  }
}

void run_drop(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  const DropTarget target = parse_drop_target(p.value("target"));
  const Strategy strategy = parse_strategy(p.value("strategy"));
  const int64_t n = p.integer("n");
  const std::string out_dir = p.value("out");
  SelectionOptions selection;
  selection.metric = parse_metric(p.value("metric"));
  selection.keep_first = p.flag("keep-first");
  selection.keep_last = p.flag("keep-last");
  if (strategy == Strategy::Consecutive && (target.joint || target.kind != ModuleKind::Block))
    throw UsageError("--strategy consecutive drops whole blocks: use --target block");
  DropPlan plan;
  nlohmann::json record = {{"target", p.value("target")},        {"n", n},
                           {"strategy", p.value("strategy")},    {"metric", to_string(selection.metric)},
                           {"keep_first", selection.keep_first}, {"keep_last", selection.keep_last}};
  if (strategy == Strategy::Iterative) {
    if (!p.has("data")) throw UsageError("--strategy iterative re-scores after every drop: it needs --data");
    const Tokenizer tok = Tokenizer::open(ckpt.dir, ckpt.config);
    const at::Tensor blocks = calibration_blocks(tok, read_text_documents(p.value("data")),
                                                 p.integer("samples"), p.integer("seq-len"));
    const auto model = load_model(p, ckpt);
    ScoreOptions options;
    // Batching pays on a GPU; on a CPU padding and the quadratic attention of long packed rows cost more.
    options.batch_size = p.value("batch-size") == "auto" ? (parse_device(p.value("device")).is_cpu() ? 1 : 16)
                                                         : p.integer("batch-size");
    options.layer_drop_norm = !p.flag("no-norm");
    options.nll_delta = selection.metric == Metric::NllDelta;
    JobContext job = progress_printer("iterative");
    plan = select_iterative(*model, blocks, target, n, options, selection, job);
    record["data"] = fs_absolute(p.value("data"));
    record["data_sha256"] = sha256_file(p.value("data"));
  } else {
    ImportanceScores scores;
    if (p.has("scores")) {
      std::ifstream in(p.value("scores"));
      if (!in) throw_bad_input("cannot read " + p.value("scores"));
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(in);
      } catch (const nlohmann::json::exception& e) {
        throw_bad_input(p.value("scores") + " is not valid JSON");
      }
      scores = scores_from_json(j, ckpt.config.num_layers);
      const auto request = j.value("request", nlohmann::json::object());
      const auto fingerprint = request.is_object() ? request.value("model_fingerprint", std::string()) : "";
      if (fingerprint != weights_fingerprint(ckpt))
        throw_bad_input(p.value("scores") + " was computed for another model (weights fingerprint differs)");
      if (scores.plan != drop_plan(p, ckpt.config))
        throw_bad_input(p.value("scores") + " was computed with other drops than this model has now (" +
                        "attn [" + format_indices(scores.plan.attn) + "], mlp [" +
                        format_indices(scores.plan.mlp) + "])");
      record["scores_request"] = request;
    } else if (p.has("data")) {
      const ScoredModel scored = score_model(p, ckpt, strategy == Strategy::Consecutive, "");
      scores = scored.scores;
      record["scores_request"] = scored.request.to_json();
    } else {
      throw UsageError("give --scores FILE (from llmdrop score) or --data FILE");
    }
    plan = strategy == Strategy::Consecutive ? select_consecutive(scores, n, selection)
                                             : select_discrete(scores, target, n, selection);
    record["similarity"] = {{"block", target_json(scores.block, selection.metric)["similarity"]},
                            {"attn", target_json(scores.attn, selection.metric)["similarity"]},
                            {"mlp", target_json(scores.mlp, selection.metric)["similarity"]}};
  }
  record["source"] = fs_absolute(ckpt.dir);
  record["source_fingerprint"] = weights_fingerprint(ckpt);
  record["drop_attn_list"] = std::vector<int64_t>(plan.attn.begin(), plan.attn.end());
  record["drop_mlp_list"] = std::vector<int64_t>(plan.mlp.begin(), plan.mlp.end());
  record["pruned_weights"] = p.flag("prune-weights");
  if (p.flag("prune-weights") && plan.attn != plan.mlp)
    std::cerr
        << "llmdrop: warning: only whole blocks can be removed for plain transformers; this export keeps "
           "drop lists and lacks the dropped tensors, so it loads correctly only in llmdrop or with "
           "LLM-Drop's modeling code (transformers alone would initialise the missing weights randomly)\n";
  if (p.flag("prune-weights"))
    export_pruned(ckpt, plan, out_dir, record);
  else
    export_drop_config(ckpt, plan, out_dir, record);
  const nlohmann::json out = {{"drop_attn_list", record["drop_attn_list"]},
                              {"drop_mlp_list", record["drop_mlp_list"]},
                              {"out", fs_absolute(out_dir)}};
  if (p.flag("json")) return print_json(out);
  std::cout << "drop_attn_list: [" << format_indices(plan.attn) << "]\ndrop_mlp_list:  ["
            << format_indices(plan.mlp) << "]\nwritten to " << out_dir << "\n";
}

DataSources data_sources(const ArgParser& p) {
  DataSources sources;
  for (const auto& dir : p.values("data-dir")) sources.data_dirs.emplace_back(dir);
  if (const char* env = std::getenv("LLMDROP_DATA_DIR"); env && *env) {
    std::stringstream dirs(env);
    for (std::string dir; std::getline(dirs, dir, ':');)
      if (!dir.empty()) sources.data_dirs.emplace_back(dir);
  }
  for (const auto& spec : p.values("data")) {
    const size_t eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
      throw UsageError("--data expects TASK=FILE, got '" + spec + "'");
    sources.files[spec.substr(0, eq)] = spec.substr(eq + 1);
  }
  return sources;
}

std::string format_number(double v, int precision = 4) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(precision);
  s << v;
  return s.str();
}

// The metrics of one task as table rows: metric (with its filter when not "none"), value, stderr.
void print_task_rows(const TaskResult& t, const std::string& label) {
  for (const auto& [key, value] : t.metrics) {
    if (key.find("_stderr,") != std::string::npos) continue;
    const size_t comma = key.find(',');
    const std::string metric = key.substr(0, comma), filter = key.substr(comma + 1);
    const auto err = t.metrics.find(metric + "_stderr," + filter);
    std::cout << "| " << label << " | " << t.num_fewshot << " | " << t.samples << " | "
              << metric + (filter == "none" ? "" : " (" + filter + ")") << " | " << format_number(value)
              << " | " << (err == t.metrics.end() ? "" : format_number(err->second)) << " | "
              << format_number(t.seconds, 1) << " |\n";
  }
}

nlohmann::json task_summary(const TaskResult& t, bool with_items) {
  nlohmann::json j = {{"n", t.samples}, {"num_fewshot", t.num_fewshot}, {"seconds", t.seconds}};
  for (const auto& [key, value] : t.metrics)
    if (key.size() > 5 && key.compare(key.size() - 5, 5, ",none") == 0)
      j[key.substr(0, key.size() - 5)] = value;
  j["metrics"] = t.metrics;
  if (with_items) {
    j["items"] = nlohmann::json::array();
    for (const auto& r : t.records) {
      nlohmann::json item = r;
      item.erase("task");
      j["items"].push_back(item);
    }
  }
  return j;
}

void run_eval(const ArgParser& p) {
  EvalOptions options;
  std::stringstream names(p.value("tasks"));
  for (std::string name; std::getline(names, name, ',');)
    if (!name.empty()) options.tasks.push_back(name);
  if (options.tasks.empty()) throw UsageError("--tasks names no task");
  options.data = data_sources(p);
  if (p.has("num-fewshot")) options.num_fewshot = p.integer("num-fewshot");
  if (options.num_fewshot && *options.num_fewshot < 0) throw UsageError("--num-fewshot must not be negative");
  options.limit = p.integer("limit");
  // Batching pays on a GPU; on a CPU padding and the quadratic attention of long packed rows cost more.
  options.batch_size = p.value("batch-size") == "auto" ? (parse_device(p.value("device")).is_cpu() ? 1 : 16)
                                                       : p.integer("batch-size");
  options.max_length = p.integer("max-length");
  if (options.limit < 0 || options.batch_size < 1 || options.max_length < 0)
    throw UsageError("--limit and --max-length must be >= 0 and --batch-size >= 1");
  if (p.has("max-gen-toks")) options.max_gen_toks = p.integer("max-gen-toks");
  if (p.has("log-samples")) options.samples_log = p.value("log-samples");
  options.resume = p.flag("resume");
  if (options.resume && options.samples_log.empty()) throw UsageError("--resume needs --log-samples FILE");
  for (const auto& name : options.tasks) find_task(name);  // a wrong name fails before the load

  const Checkpoint ckpt = open_checkpoint(p);
  const Tokenizer tok = Tokenizer::open(ckpt.dir, ckpt.config);
  const auto model = load_model(p, ckpt);
  JobContext job = progress_printer("eval");
  const EvalResults results = evaluate(*model, tok, options, job);
  const nlohmann::json lm_eval = results_json(results, *model, options);
  if (p.has("out")) write_file_atomically(p.value("out"), lm_eval.dump(2) + "\n");
  if (p.flag("json")) {
    nlohmann::json out = {{"tasks", nlohmann::json::object()}, {"results", lm_eval}};
    for (const auto& t : results.tasks) {
      out["tasks"][t.name] = task_summary(t, !options.samples_log.empty());
      for (const auto& s : t.subtasks) out["tasks"][s.name] = task_summary(s, !options.samples_log.empty());
    }
    return print_json(out);
  }
  std::cout << "| task | shots | n | metric | value | stderr | seconds |\n|---|---|---|---|---|---|---|\n";
  for (const auto& t : results.tasks) print_task_rows(t, t.name);
  std::cout << "total " << format_number(results.seconds, 1) << " s\n";
}

// "attn=24,25" / "mlp=3" / "block=4,5" → the drops of one --compare configuration.
DropPlan parse_compare(const std::string& spec, int64_t num_layers) {
  const size_t eq = spec.find('=');
  const std::string kind = spec.substr(0, eq), list = eq == std::string::npos ? "" : spec.substr(eq + 1);
  if (eq == std::string::npos || (kind != "attn" && kind != "mlp" && kind != "block"))
    throw UsageError("--compare expects attn=LIST, mlp=LIST or block=LIST, got '" + spec + "'");
  DropPlan plan;
  const auto layers = DropPlan::parse_csv(list, "--compare " + kind);
  if (kind != "mlp") plan.attn = layers;
  if (kind != "attn") plan.mlp = layers;
  plan.validate(num_layers);
  return plan;
}

std::vector<SpeedRound> parse_rounds(const ArgParser& p) {
  // Each item is CONTEXT or CONTEXT:NEW_TOKENS; new tokens default to --new-tokens, else to the context.
  std::vector<SpeedRound> rounds;
  std::stringstream items(p.value("contexts"));
  for (std::string item; std::getline(items, item, ',');) {
    const size_t colon = item.find(':');
    const auto context = parse_int(item.substr(0, colon));
    const auto new_tokens =
        colon == std::string::npos
            ? std::optional<int64_t>(p.has("new-tokens") ? p.integer("new-tokens") : context.value_or(0))
            : parse_int(item.substr(colon + 1));
    if (!context || !new_tokens || *context < 1 || *new_tokens < 1)
      throw UsageError(
          "--contexts expects a list such as 32,64,128 or 512,2048:128 (context:new tokens), got '" +
          p.value("contexts") + "'");
    rounds.push_back({*context, *new_tokens});
  }
  if (rounds.empty()) throw UsageError("--contexts expects a list such as 32,64,128");
  return rounds;
}

void run_bench(const ArgParser& p) {
  SpeedOptions options;
  options.rounds = parse_rounds(p);
  options.batch_size = p.integer("batch-size");
  options.cuda_graphs = !p.flag("no-cuda-graphs");
  std::unique_ptr<Model> model;
  std::string source;
  LoadOptions load;
  load.device = p.value("device");
  load.dtype = p.value("dtype");
  JobContext loading = progress_printer("load");
  if (p.flag("random-weights")) {
    if (p.positional("MODEL")) throw UsageError("give either MODEL or --random-weights --shape NAME");
    const ModelConfig config = shape_config(p.value("shape"));
    load.drops = drop_plan(p, config);
    model = Model::random(config, load, 0, loading);
    source = "random " + p.value("shape");
  } else {
    if (p.has("shape")) throw UsageError("--shape needs --random-weights");
    const Checkpoint ckpt = open_checkpoint(p);
    load.drops = drop_plan(p, ckpt.config);
    model = Model::load(ckpt, load, loading);
    source = ckpt.dir.string();
  }
  // The configurations: the model as given, then each --compare.
  std::vector<std::pair<std::string, DropPlan>> configs = {{"full", model->drops()}};
  if (!model->drops().empty()) configs[0].first = "given";
  for (const auto& spec : p.values("compare"))
    configs.emplace_back(spec, parse_compare(spec, model->config().num_layers));

  std::vector<DropPlan> plans;
  for (const auto& config : configs) plans.push_back(config.second);
  JobContext job = progress_printer("bench");
  const auto measured = measure_configurations(*model, plans, options, job);
  const std::vector<SpeedResult>& baseline = measured.front();
  nlohmann::json rows = nlohmann::json::array();
  for (size_t c = 0; c < configs.size(); ++c) {
    const auto& [name, plan] = configs[c];
    const std::vector<SpeedResult>& results = measured[c];
    for (size_t i = 0; i < results.size(); ++i) {
      const SpeedResult& r = results[i];
      const bool comparable = !r.out_of_memory && !baseline[i].out_of_memory;
      rows.push_back({{"config", name},
                      {"drop_attn_list", std::vector<int64_t>(plan.attn.begin(), plan.attn.end())},
                      {"drop_mlp_list", std::vector<int64_t>(plan.mlp.begin(), plan.mlp.end())},
                      {"batch", r.batch},
                      {"context", r.context},
                      {"new_tokens", r.new_tokens},
                      {"out_of_memory", r.out_of_memory},
                      {"prefill_tokens_per_second", r.prefill_tokens_per_second},
                      {"decode_tokens_per_second", r.decode_tokens_per_second},
                      {"decode_p50_ms", r.decode_p50_ms},
                      {"decode_p90_ms", r.decode_p90_ms},
                      {"peak_memory_bytes", r.peak_memory_bytes},
                      {"kv_cache_bytes", r.kv_cache_bytes},
                      {"decode_speedup", comparable ? nlohmann::json(r.decode_tokens_per_second /
                                                                     baseline[i].decode_tokens_per_second)
                                                    : nlohmann::json()},
                      {"prefill_speedup", comparable ? nlohmann::json(r.prefill_tokens_per_second /
                                                                      baseline[i].prefill_tokens_per_second)
                                                     : nlohmann::json()},
                      {"kv_cache_ratio", double(r.kv_cache_bytes) / double(baseline[i].kv_cache_bytes)}});
    }
  }
  if (p.has("csv")) {
    // benchmark_speed.py's columns first, then ours.
    std::ostringstream csv;
    csv << "Batch Size,Prefill Length,Decode Length,Prefill tokens/s,Decode tokens/s,Memory (VRAM),"
           "Config,Decode p50 ms,Decode p90 ms,KV cache bytes,Decode speedup\n";
    for (const auto& r : rows) {
      const bool oom = r["out_of_memory"].get<bool>();
      csv << r["batch"] << "," << r["context"] << "," << r["new_tokens"] << ","
          << (oom ? "OOM" : format_number(r["prefill_tokens_per_second"].get<double>(), 2)) << ","
          << (oom ? "OOM" : format_number(r["decode_tokens_per_second"].get<double>(), 2)) << ","
          << (oom ? "OOM" : format_number(r["peak_memory_bytes"].get<double>() / double(1 << 30), 3) + " GB")
          << ",\"" << r["config"].get<std::string>() << "\","
          << format_number(r["decode_p50_ms"].get<double>(), 3) << ","
          << format_number(r["decode_p90_ms"].get<double>(), 3) << "," << r["kv_cache_bytes"] << ","
          << (r["decode_speedup"].is_null() ? "" : format_number(r["decode_speedup"].get<double>(), 3))
          << "\n";
    }
    write_file_atomically(p.value("csv"), csv.str());
  }
  if (p.flag("json"))
    return print_json({{"model", source},
                       {"device", model->device().str()},
                       {"dtype", dtype_name(model->dtype())},
                       {"rounds", rows}});
  std::cout << "model " << source << " on " << model->device().str() << ", " << dtype_name(model->dtype())
            << "\n"
            << "| config | batch | context | new | prefill tok/s | decode tok/s | p50 ms | p90 ms | peak GiB "
               "| KV MiB "
               "| decode speedup |\n|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : rows) {
    std::cout << "| " << r["config"].get<std::string>() << " | " << r["batch"] << " | " << r["context"]
              << " | " << r["new_tokens"] << " | ";
    if (r["out_of_memory"].get<bool>()) {
      std::cout << "OOM | OOM | | | | "
                << format_number(r["kv_cache_bytes"].get<double>() / double(1 << 20), 1) << " | |\n";
      continue;
    }
    std::cout << format_number(r["prefill_tokens_per_second"].get<double>(), 1) << " | "
              << format_number(r["decode_tokens_per_second"].get<double>(), 1) << " | "
              << format_number(r["decode_p50_ms"].get<double>(), 2) << " | "
              << format_number(r["decode_p90_ms"].get<double>(), 2) << " | "
              << format_number(r["peak_memory_bytes"].get<double>() / double(1 << 30), 2) << " | "
              << format_number(r["kv_cache_bytes"].get<double>() / double(1 << 20), 1) << " | "
              << (r["decode_speedup"].is_null() ? ""
                                                : format_number(r["decode_speedup"].get<double>(), 2) + "x")
              << " |\n";
  }
}

void run_tasks(const ArgParser& p) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& name : available_tasks()) {
    const TaskSpec t = find_task(name);
    list.push_back(
        {{"task", t.name}, {"about", t.about}, {"file", t.source.string()}, {"num_fewshot", t.num_fewshot}});
  }
  if (p.flag("json")) return print_json(list);
  for (const auto& t : list)
    std::cout << t["task"].get<std::string>() << "\t" << t["about"].get<std::string>() << "\n    "
              << t["file"].get<std::string>() << "\n";
  std::cout << "task folders searched, first match wins:";
  for (const auto& dir : task_folders()) std::cout << " " << dir.string();
  std::cout << "\n";
}

}  // namespace

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"info", "Show a checkpoint's family, shape, parameters, drop lists and KV-cache bytes per token.",
       add_model_options, run_info},
      {"tokenize", "Token ids of a text (no BOS added).",
       [](ArgParser& p) {
         add_model_options(p);
         p.add_option("text", "TEXT", "the text to tokenize");
       },
       run_tokenize},
      {"logprobs", "Log-probability of each next token of a sequence, from one forward pass.",
       [](ArgParser& p) {
         add_model_options(p);
         p.add_option("ids", "IDS", "comma-separated token ids, e.g. 1,450,4996");
       },
       run_logprobs},
      {"generate", "Continue a prompt (BOS is prepended when the model has one).",
       [](ArgParser& p) {
         add_model_options(p);
         p.add_option("prompt", "TEXT", "the prompt");
         p.add_option("ids", "IDS",
                      "the prompt as token ids instead (nothing prepended; no tokenizer needed)");
         p.add_option("max-new-tokens", "N", "tokens to generate at most", "32");
         p.add_flag("greedy",
                    "always take the most likely token (default unless sampling options are given)");
         p.add_option("temperature", "T", "sampling temperature", "1.0");
         p.add_option("top-p", "P", "nucleus sampling mass", "1.0");
         p.add_option("seed", "N", "random seed for sampling", "0");
         p.add_flag("no-cuda-graphs",
                    "run the decode step eagerly instead of replaying a CUDA graph (comparison)");
       },
       run_generate},
      {"perplexity", "Perplexity of a text file in non-overlapping windows, each starting with BOS.",
       [](ArgParser& p) {
         add_model_options(p);
         p.add_option("data", "FILE", "plain text file");
         p.add_option("seq-len", "N", "window length including BOS", "256");
         p.add_option("max-windows", "N", "score at most N windows (0 = all)", "0");
       },
       run_perplexity},
      {"score", "Per-layer similarity / importance of blocks, attention and MLP on calibration text.",
       [](ArgParser& p) {
         add_model_options(p);
         p.add_option("target", "TARGET", "block, attn, mlp or all", "all");
         add_calibration_options(p);
         p.add_flag("consecutive", "also the matrix cos(h_i, h_{i+g}) for consecutive block drop");
         p.add_option("out", "FILE", "write the scores (with everything needed to reproduce them) here");
       },
       run_score},
      {"drop", "Choose modules to drop and export a config.json (LLM-Drop style) or a pruned checkpoint.",
       [](ArgParser& p) {
         add_model_options(p);
         p.add_option("target", "TARGET", "attn, mlp, block, or all (attention and MLP ranked together)");
         p.add_option("n", "N", "how many modules (or blocks) to drop");
         p.add_option("strategy", "S", "discrete, consecutive (blocks, gap n) or iterative", "discrete");
         p.add_option("scores", "FILE", "scores from llmdrop score (else computed from --data)");
         add_calibration_options(p);
         p.add_flag("keep-first", "never drop layer 0");
         p.add_flag("keep-last", "never drop the last layer");
         p.add_option("out", "DIR", "new directory for the export (the source is never modified)");
         p.add_flag("prune-weights", "write safetensors without the dropped modules' tensors");
       },
       run_drop},
      {"eval",
       "lm-eval-style evaluation (docs/evaluation.md): multiple choice, loglikelihood, perplexity, "
       "generation.",
       [](ArgParser& p) {
         add_model_options(p);
         p.add_option("tasks", "LIST", "comma-separated tasks, e.g. arc_easy,hellaswag (see llmdrop tasks)");
         p.add_option(
             "data-dir", "DIR",
             "folder holding the tasks' data folders (repeatable; also $LLMDROP_DATA_DIR, ':'-separated)");
         p.add_option("data", "TASK=FILE", "a task's evaluation file (repeatable)");
         p.add_option("num-fewshot", "N", "few-shot examples per question (default: each task's own)");
         p.add_option("limit", "N", "first N documents of each task (each MMLU subject); 0 = all", "0");
         p.add_option("batch-size", "N", "packed sequences per forward pass; auto = 1 on cpu, 16 on cuda",
                      "auto");
         p.add_option("max-length", "N",
                      "model context for truncation and windows (0 = max_position_embeddings)", "0");
         p.add_option("max-gen-toks", "N",
                      "new tokens at most for generation tasks (default: each task's own)");
         p.add_option("out", "FILE", "write results in lm-eval's layout");
         p.add_option("log-samples", "FILE", "per-document JSON Lines (doc id, lls, prediction, gold)");
         p.add_flag("resume", "continue the --log-samples file of an interrupted run");
       },
       run_eval},
      {"bench", "Prefill and decode speed, latency and memory (LLM-Drop's benchmark_speed.py protocol).",
       [](ArgParser& p) {
         add_model_options(p);
         p.add_flag("random-weights", "no checkpoint: random weights of --shape, made on the device");
         p.add_option("shape", "NAME", "llama2-7b, llama2-13b, mistral-7b, llama3-8b, qwen2-7b or tiny",
                      "llama2-7b");
         p.add_option("contexts", "LIST",
                      "prefill lengths, one round each; CONTEXT:N sets that round's new tokens",
                      "32,64,128,256,512");
         p.add_option("new-tokens", "N", "decode steps per round (default: as many as the context)");
         p.add_option("batch-size", "N", "sequences decoded together", "1");
         p.add_option(
             "compare", "KIND=LIST",
             "also measure with these drops (attn=24,25 / mlp=3 / block=4,5; repeatable) and print speedups");
         p.add_option("csv", "FILE", "write benchmark_speed.py's columns (and ours) here");
         p.add_flag("no-cuda-graphs",
                    "run the decode step eagerly instead of replaying a CUDA graph (comparison)");
       },
       run_bench},
      {"quantize", "GPTQ, AWQ or round-to-nearest, one layer at a time, written as a GPTQ / AWQ checkpoint.",
       [](ArgParser& p) {
         add_model_options(p);
         p.add_option("method", "METHOD", "gptq, awq or rtn (round-to-nearest, GPTQ format)", "gptq");
         p.add_option("bits", "N", "2, 3, 4 or 8 (awq: 4)", "4");
         p.add_option("group-size", "N", "input columns per scale and zero: -1 (per row), 32, 64 or 128",
                      "128");
         p.add_flag("desc-act", "GPTQ act-order: columns by decreasing Hessian diagonal (writes g_idx)");
         p.add_flag("mse",
                    "GPTQ/RTN: shrink each group's range to the least |error|^2.4 (GPTQ's mse option)");
         p.add_flag("sym", "GPTQ symmetric grid (zero point in the middle)");
         p.add_option("damp", "F", "GPTQ dampening, a fraction of the Hessian's mean diagonal", "0.01");
         p.add_option("data", "FILE",
                      "calibration text: JSON array / JSON Lines with a \"text\" field, or plain .txt");
         p.add_option("samples", "N", "calibration blocks", "128");
         p.add_option("seq-len", "N", "tokens per block", "2048");
         p.add_option("batch-size", "N", "blocks per forward pass (memory only)", "1");
         p.add_option("out", "DIR",
                      "new directory for the quantized checkpoint (the source is never modified)");
       },
       run_quantize},
      {"dequantize",
       "A GPTQ / AWQ checkpoint written back as dense float16 weights (as the engine uses them).",
       [](ArgParser& p) {
         p.add_positional("MODEL", "quantized model directory");
         p.add_option("out", "DIR", "new directory for the dense checkpoint");
         p.add_flag("json", "machine-readable output on stdout");
       },
       run_dequantize},
      {"tasks", "List the evaluation tasks (built-in and the user's task folder).",
       [](ArgParser& p) { p.add_flag("json", "machine-readable output on stdout"); }, run_tasks},
  };
  return all;
}

}  // namespace llmdrop::cli
