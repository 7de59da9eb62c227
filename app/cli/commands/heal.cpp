#include <algorithm>
#include <cmath>
#include <iostream>

#include "checkpoint/tokenizer.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "eval/perplexity.h"
#include "export/exporter.h"
#include "heal/heal.h"
#include "model/memory_plan.h"
#include "model/model.h"
#include "util/input.h"
#include "util/parse.h"
#include "util/sha256.h"

namespace llmdrop::cli {

namespace {

double finite_number(const ArgParser& p, const std::string& option) {
  const double value = p.number(option);
  if (!std::isfinite(value)) throw UsageError("--" + option + " must be a finite number");
  return value;
}

// Held-out perplexity of `tokens` on `checkpoint` under each of `plans` (--eval-data), on one loaded model.
std::vector<double> held_out_perplexities(const Checkpoint& checkpoint, const std::vector<DropPlan>& plans,
                                          const std::string& device, const std::string& dtype,
                                          const std::vector<int64_t>& tokens, int64_t seq_len,
                                          int64_t windows, const std::string& what) {
  return run_job("perplexity " + what, [&](JobContext& job) {
    const auto model = Model::load_in_job(checkpoint, device, dtype, plans.front(), job);
    const Tokenizer tok = Tokenizer::open(checkpoint.dir, checkpoint.config);
    std::vector<double> ppl;
    for (const DropPlan& plan : plans) {
      model->set_drops(plan, job);
      ppl.push_back(perplexity(*model, tokens, tok.bos_id(), seq_len, windows, job).ppl);
    }
    return ppl;
  });
}

void run_heal(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  const std::string out_dir = export_dir(p, ckpt);
  if (!p.has("data")) throw UsageError("--data FILE (training text) is required");
  HealRequest request;
  request.data = p.value("data");
  request.steps = p.integer("steps", 1, kMaxCount);
  request.batch_size = p.integer("batch-size", 1, kMaxBatch);
  request.seq_len = p.integer("seq-len", 2, kMaxLength);
  request.rank = p.integer("rank", 1, 4096);
  request.alpha = finite_number(p, "alpha");
  request.lr = finite_number(p, "lr");
  request.warmup_steps = p.integer("warmup", 0, kMaxCount);
  request.weight_decay = finite_number(p, "weight-decay");
  request.max_grad_norm = finite_number(p, "max-grad-norm");
  if (p.has("targets")) request.targets = split_commas(p.value("targets"));
  request.seed = static_cast<uint64_t>(p.integer("seed", 0, kMaxCount));
  request.save_every = p.integer("save-every", 0, kMaxCount);
  const RunOptions run = run_options(p, ckpt.config);
  request.device = run.session_options().device;
  request.dtype = run.session_options().dtype;
  request.drops = run.drops;

  nlohmann::json record = export_record("heal", ckpt);
  record.update({{"data", fs_absolute(request.data)},
                 {"data_sha256", sha256_file(request.data)},
                 {"steps", request.steps},
                 {"rank", request.rank},
                 {"alpha", request.alpha},
                 {"lr", request.lr}});
  record.update(drop_lists_json(request.drops));

  // Held-out perplexity before the drop (all the checkpoint has weights for) and after it (the healed
  // model's comes after the training).
  std::vector<int64_t> held_out;
  const int64_t eval_seq_len = p.integer("eval-seq-len", 2, kMaxLength);
  const int64_t eval_windows = p.integer("eval-windows", 0, kMaxCount);
  nlohmann::json perplexities = nlohmann::json::object();
  if (p.has("eval-data")) {
    held_out = Tokenizer::open(ckpt.dir, ckpt.config).encode(read_file(p.value("eval-data")));
    const std::vector<double> before = held_out_perplexities(
        ckpt, {modules_without_weights(ckpt), request.drops}, request.device, request.dtype, held_out,
        eval_seq_len, eval_windows, "before and after the drop");
    perplexities["before_drop"] = before[0];
    perplexities["after_drop"] = before[1];
  }
  const HealResult r = run_job(
      "heal", [&](JobContext& job) { return heal(ckpt, request, out_dir, record, p.flag("resume"), job); });
  if (p.has("eval-data")) {
    const Checkpoint healed = Checkpoint::open(out_dir);
    perplexities["after_healing"] =
        held_out_perplexities(healed, {healed.config.drops}, request.device, request.dtype, held_out,
                              eval_seq_len, eval_windows, "after healing")
            .front();
  }
  // The median step's rate: the first step (allocator, kernels' first launch) is slow.
  std::vector<double> rates;
  for (const auto& s : r.steps) rates.push_back(s.tokens_per_second);
  std::nth_element(rates.begin(), rates.begin() + std::ptrdiff_t(rates.size() / 2), rates.end());
  const double tokens_per_second = rates[rates.size() / 2];
  const nlohmann::json out = {{"out", fs_absolute(out_dir)},
                              {"steps", r.steps.size()},
                              {"resumed_at", r.resumed_at},
                              {"first_loss", r.steps.front().loss},
                              {"last_loss", r.steps.back().loss},
                              {"blocks", r.blocks},
                              {"adapted_linears", r.adapted_linears},
                              {"trainable_parameters", r.trainable_parameters},
                              {"seconds", r.seconds},
                              {"tokens_per_second", tokens_per_second},
                              {"peak_memory_bytes", r.peak_memory_bytes},
                              {"perplexity", perplexities}};
  if (p.flag("json")) return print_json(out);
  std::cout << "healed " << r.adapted_linears << " linear layers (" << r.trainable_parameters
            << " adapter parameters) for " << r.steps.size() << " steps"
            << (r.resumed_at ? " (resumed after step " + std::to_string(r.resumed_at) + ")" : "") << ": loss "
            << r.steps.front().loss << " -> " << r.steps.back().loss << ", " << tokens_per_second
            << " tokens/s, peak memory " << gigabytes(r.peak_memory_bytes) << "\n";
  if (p.has("eval-data"))
    std::cout << "held-out perplexity: before the drop " << perplexities["before_drop"].get<double>()
              << ", after the drop " << perplexities["after_drop"].get<double>() << ", after healing "
              << perplexities["after_healing"].get<double>() << "\n";
  std::cout << "wrote " << out["out"].get<std::string>() << " (merged) and its adapter/ (PEFT)\n";
}

}  // namespace

Command heal_command() {
  return {"heal",
          "LoRA fine-tuning after a drop: adapters on the kept projections, merged into a new checkpoint.",
          SharedOptions::Model,
          [](ArgParser& p) {
            p.add_option("data", "FILE",
                         "training text: JSON array / JSON Lines with a \"text\" field, or plain .txt (not "
                         "the held-out text)");
            p.add_option("steps", "N", "optimizer steps", "300");
            p.add_option("batch-size", "N", "blocks per step", "4");
            p.add_option("seq-len", "N", "tokens per block, BOS included", "512");
            p.add_option("rank", "R", "LoRA rank", "16");
            p.add_option("alpha", "A", "LoRA alpha (the update is scaled by alpha / rank)", "32");
            p.add_option("lr", "LR", "peak learning rate (AdamW, cosine schedule)", "0.0002");
            p.add_option("warmup", "N", "linear warm-up steps", "0");
            p.add_option("weight-decay", "W", "AdamW weight decay", "0");
            p.add_option("max-grad-norm", "F", "clip the gradients' global norm (0: no clipping)", "1");
            p.add_option("targets", "LIST",
                         "projections to adapt, PEFT's target_modules (e.g. q_proj,v_proj); default all");
            p.add_option("seed", "N", "adapter initialisation and block order", "0");
            p.add_option("save-every", "N", "steps between resumable states in OUT.heal-state (0: none)",
                         "50");
            p.add_flag("resume", "continue the run whose state OUT.heal-state holds (same settings)");
            p.add_option("eval-data", "FILE",
                         "held-out text: perplexity before the drop, after it and after healing");
            p.add_option("eval-seq-len", "N", "perplexity window, BOS included", "256");
            p.add_option("eval-windows", "N", "perplexity windows at most (0: all)", "0");
            p.add_option("out", "DIR",
                         "new directory for the merged checkpoint and adapter/ (the source is never "
                         "modified)");
          },
          run_heal};
}

}  // namespace llmdrop::cli
