#include "cli/commands.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "checkpoint/checkpoint.h"
#include "checkpoint/default_model.h"
#include "checkpoint/summary.h"
#include "checkpoint/tokenizer.h"
#include "eval/perplexity.h"
#include "model/device.h"
#include "model/generation.h"
#include "model/model.h"
#include "util/error.h"
#include "util/parse.h"

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

// Progress on stderr: one line per step, at most a few per second.
JobContext progress_printer(const std::string& what) {
  auto last = std::make_shared<std::chrono::steady_clock::time_point>();
  return JobContext([what, last](const Progress& progress) {
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

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_bad_input("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
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

// sentencepiece drops the word-boundary space of a sequence's first piece, so decoding the new ids alone
// would glue them to the prompt ("isthe"): decode prompt+continuation and keep what follows the prompt.
std::string continuation_text(const Tokenizer& tok, const std::vector<int64_t>& prompt,
                              const std::vector<int64_t>& new_ids) {
  std::vector<int64_t> all = prompt;
  all.insert(all.end(), new_ids.begin(), new_ids.end());
  const std::string full = tok.decode(all), head = tok.decode(prompt);
  return full.compare(0, head.size(), head) == 0 ? full.substr(head.size()) : tok.decode(new_ids);
}

void run_generate(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  const Tokenizer tok = Tokenizer::open(ckpt.dir, ckpt.config);
  std::vector<int64_t> prompt;
  if (tok.bos_id()) prompt.push_back(*tok.bos_id());
  for (int64_t id : tok.encode(p.value("prompt"))) prompt.push_back(id);
  SamplingOptions options;
  options.max_new_tokens = p.integer("max-new-tokens");
  options.greedy = p.flag("greedy") || !(p.has("temperature") || p.has("top-p"));
  options.temperature = p.number("temperature");
  options.top_p = p.number("top-p");
  options.seed = static_cast<uint64_t>(p.integer("seed"));
  options.stop_token = tok.eos_id();
  if (options.top_p <= 0 || options.top_p > 1) throw UsageError("--top-p must be in (0, 1]");
  const auto model = load_model(p, ckpt);
  JobContext job = progress_printer("generate");
  const auto new_ids = generate(*model, prompt, options, job);
  const std::string text = continuation_text(tok, prompt, new_ids);
  if (p.flag("json")) return print_json({{"ids", prompt}, {"new_ids", new_ids}, {"text", text}});
  std::cout << p.value("prompt") << text << "\n";
}

void run_perplexity(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  const Tokenizer tok = Tokenizer::open(ckpt.dir, ckpt.config);
  const auto tokens = tok.encode(read_text_file(p.value("data")));
  const auto model = load_model(p, ckpt);
  JobContext job = progress_printer("perplexity");
  const auto r =
      perplexity(*model, tokens, tok.bos_id(), p.integer("seq-len"), p.integer("max-windows"), job);
  if (p.flag("json"))
    return print_json(
        {{"ppl", r.ppl}, {"tokens", r.tokens}, {"windows", r.windows}, {"mean_nll", r.mean_nll}});
  std::cout << "perplexity " << r.ppl << " over " << r.tokens << " tokens (" << r.windows << " windows)\n";
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
         p.add_option("max-new-tokens", "N", "tokens to generate at most", "32");
         p.add_flag("greedy",
                    "always take the most likely token (default unless sampling options are given)");
         p.add_option("temperature", "T", "sampling temperature", "1.0");
         p.add_option("top-p", "P", "nucleus sampling mass", "1.0");
         p.add_option("seed", "N", "random seed for sampling", "0");
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
  };
  return all;
}

}  // namespace llmdrop::cli
