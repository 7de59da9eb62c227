#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "model/memory_plan.h"
#include "quant/quantize_checkpoint.h"
#include "util/parse.h"
#include "util/sha256.h"

namespace llmdrop::cli {

namespace {

// --bits / --group-size: N for every module, SELECTION=N for some (repeatable, later ones winning); the plain
// value into `base`, the others into `choices`.
template <typename T>
void parse_per_module(const ArgParser& p, const std::string& option, long long min, long long max, T& base,
                      std::vector<ModuleChoice>& choices, std::optional<T> ModuleChoice::*field) {
  std::vector<std::string> values = p.values(option);
  if (values.empty()) values = {p.value(option)};
  for (const std::string& value : values) {
    const size_t eq = value.find('=');
    const auto n = parse_int(eq == std::string::npos ? value : value.substr(eq + 1));
    if (!n || *n < min || *n > max)
      throw UsageError("--" + option + " expects N or SELECTION=N (e.g. attn=8), got '" + value + "'");
    if (eq == std::string::npos) {
      base = static_cast<T>(*n);
    } else {
      ModuleChoice choice{.selection = value.substr(0, eq)};
      choice.*field = static_cast<T>(*n);
      choices.push_back(choice);
    }
  }
}

void run_quantize(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  const std::string out_dir = export_dir(p, ckpt);
  QuantizeRequest request;
  request.scheme.method = parse_quant_method(p.value("method"));
  std::vector<ModuleChoice> choices;
  parse_per_module(p, "bits", 1, 64, request.scheme.bits, choices, &ModuleChoice::bits);
  parse_per_module(p, "group-size", -1, kMaxLength, request.scheme.group_size, choices,
                   &ModuleChoice::group_size);
  if (p.has("skip"))
    for (const std::string& selection : split_commas(p.value("skip")))
      choices.push_back({.selection = selection, .skip = true});
  request.scheme.sym = p.flag("sym");
  request.scheme.desc_act = p.flag("desc-act");
  request.scheme.mse = p.flag("mse");
  request.scheme.damp_percent = p.number("damp");
  request.scheme.validate();
  request.scheme.dynamic = module_rules(ckpt.config, request.scheme, choices);
  request.scheme.validate();
  if (request.scheme.method != QuantMethod::rtn && !p.has("data"))
    throw UsageError("--data FILE (calibration text) is required for " + to_string(request.scheme.method));
  if (p.has("data")) request.data = p.value("data");
  request.samples = p.integer("samples", 1, kMaxCount);
  request.seq_len = p.integer("seq-len", 1, kMaxLength);
  request.batch_size = p.integer("batch-size", 1, kMaxBatch);
  const RunOptions run = run_options(p, ckpt.config);
  request.device = run.session_options().device;
  request.dtype = run.session_options().dtype;
  request.drops = run.drops;
  nlohmann::json record = export_record("quantize", ckpt);
  record["quantization_config"] = quantization_config_json(request.scheme);
  record.update(drop_lists_json(request.drops));
  if (p.has("data")) {
    record["data"] = fs_absolute(request.data);
    record["data_sha256"] = sha256_file(request.data);
    record["samples"] = request.samples;
    record["seq_len"] = request.seq_len;
  }
  // No session: core/quant streams the layers one at a time and rewrites them in place, never a whole model.
  const QuantizeResult r = run_job(
      "quantize", [&](JobContext& job) { return quantize_checkpoint(ckpt, request, out_dir, record, job); });
  const nlohmann::json out = {{"out", fs_absolute(out_dir)},
                              {"method", to_string(request.scheme.method)},
                              {"bits", request.scheme.bits},
                              {"group_size", request.scheme.group_size},
                              {"linears", r.linears},
                              {"tokens", r.tokens},
                              {"seconds", r.seconds},
                              {"peak_memory_bytes", r.peak_memory_bytes},
                              {"load_seconds", r.load_seconds},
                              {"layer_load_seconds", r.layer_load_seconds},
                              {"quantize_seconds", r.quantize_seconds},
                              {"write_seconds", r.write_seconds}};
  if (p.flag("json")) return print_json(out);
  std::cout << "quantized " << r.linears << " linear layers (" << to_string(request.scheme.method) << ", "
            << request.scheme.bits << " bits, group " << request.scheme.group_size << ") on " << r.tokens
            << " calibration tokens in " << r.seconds << " s, peak memory " << gigabytes(r.peak_memory_bytes)
            << (request.device == "cpu" ? " (resident set)" : "") << " (loading " << r.load_seconds
            << " s, layer weights " << r.layer_load_seconds << " s, quantizing " << r.quantize_seconds
            << " s)\nwrote " << out["out"].get<std::string>() << " in " << r.write_seconds << " s\n";
}

}  // namespace

Command quantize_command() {
  return {
      "quantize", "GPTQ, AWQ or round-to-nearest, one layer at a time, written as a GPTQ / AWQ checkpoint.",
      SharedOptions::Model,
      [](ArgParser& p) {
        p.add_option("method", "METHOD", "gptq, awq or rtn (round-to-nearest, GPTQ format)", "gptq");
        p.add_option("bits", "N",
                     "2, 3, 4 or 8 (awq: 4); SELECTION=N for some modules (repeatable): attn, mlp, "
                     "layers.I or layers.I-J, optionally .attn / .mlp, e.g. --bits 4 --bits attn=8",
                     "4");
        p.add_option("group-size", "N",
                     "input columns per scale and zero: -1 (per row), 32, 64 or 128; SELECTION=N as --bits",
                     "128");
        p.add_option("skip", "LIST",
                     "modules left unquantized, e.g. lm_head,layers.0.mlp (lm_head always is); written with "
                     "the per-module precision as GPTQModel's `dynamic` rules");
        p.add_flag("desc-act", "GPTQ act-order: columns by decreasing Hessian diagonal (writes g_idx)");
        p.add_flag("mse", "GPTQ/RTN: shrink each group's range to the least |error|^2.4 (GPTQ's mse option)");
        p.add_flag("sym", "GPTQ symmetric grid (zero point in the middle)");
        p.add_option("damp", "F", "GPTQ dampening, a fraction of the Hessian's mean diagonal", "0.01");
        add_calibration_data_option(p);
        p.add_option("samples", "N", "calibration blocks", "128");
        p.add_option("seq-len", "N", "tokens per block", "2048");
        p.add_option("batch-size", "N", "blocks per forward pass (memory only)", "1");
        p.add_option("out", "DIR",
                     "new directory for the quantized checkpoint (the source is never modified)");
      },
      run_quantize};
}

}  // namespace llmdrop::cli
