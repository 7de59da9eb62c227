#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "quant/quantize_checkpoint.h"

namespace llmdrop::cli {

namespace {

void run_dequantize(const ArgParser& p) {
  const Checkpoint ckpt = open_checkpoint(p);
  const std::string out_dir = export_dir(p, ckpt);
  run_job("dequantize", [&](JobContext& job) {
    export_dequantized(ckpt, out_dir, export_record("dequantize", ckpt), job, p.value("device"));
  });
  if (p.flag("json")) return print_json({{"out", fs_absolute(out_dir)}});
  std::cout << "wrote " << fs_absolute(out_dir) << "\n";
}

}  // namespace

Command dequantize_command() {
  return {"dequantize",
          "A GPTQ / AWQ checkpoint written back as dense float16 weights (as the engine uses them).",
          SharedOptions::None,
          [](ArgParser& p) {
            p.add_positional("MODEL", "quantized model directory");
            p.add_option("out", "DIR", "new directory for the dense checkpoint");
            p.add_option("device", "DEVICE", "where to unpack and dequantize: cpu, cuda or cuda:N", "cpu");
            add_json_flag(p);
          },
          run_dequantize};
}

}  // namespace llmdrop::cli
