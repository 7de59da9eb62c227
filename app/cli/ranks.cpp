#include "cli/ranks.h"

#include <cstdlib>

#include "model/device.h"
#include "model/device_list.h"
#include "util/error.h"

namespace llmdrop::cli {

void add_devices_options(ArgParser& p) {
  p.add_option("devices", "LIST",
               "several devices: cuda:0,cuda:1 or all (every GPU; NCCL ranks), or cpu,cpu (Gloo ranks on the "
               "CPU); one rank each, or one model over them with --parallel layers; under torchrun "
               "(WORLD_SIZE > 1) this process is one rank: with --device cuda "
               "on cuda:LOCAL_RANK, else on the CPU");
  p.add_option(
      "parallel", "HOW",
      "with several devices: data (a rank and a replica per device, the samples split), tensor (a rank "
      "per device, every layer's heads and MLP split over them) or layers (one model, its layers in "
      "contiguous ranges over the devices, balanced by bytes: for a model too large for one)",
      "data");
}

std::string Ranks::describe(const RunOptions& run) const {
  if (!placement.empty()) return placement + " (layers placed)";
  if (!any()) return run.device.str();
  std::string devices;
  for (const auto& r : here) {
    if (!devices.empty()) devices += ',';
    devices += r->device().str();
  }
  if (launched) devices = std::to_string(here.front()->size()) + " ranks of a launch";
  return devices + (parallelism == Parallelism::Tensor ? " (tensor parallel)" : " (data parallel)");
}

SessionOptions Ranks::session_options(const RunOptions& run,
                                      const std::shared_ptr<Communicator>& rank) const {
  SessionOptions options = run.session_options();
  if (!placement.empty()) options.device = placement;
  if (!rank) return options;
  options.device = rank->device().str();
  if (parallelism == Parallelism::Tensor) options.tensor_parallel = rank;
  return options;
}

Ranks open_ranks(const ArgParser& p, const RunOptions& run) {
  Ranks ranks;
  const std::string how = p.value("parallel");
  if (how != "data" && how != "tensor" && how != "layers")
    throw UsageError("--parallel must be data, tensor or layers, not '" + how + "'");
  ranks.parallelism = how == "tensor"   ? Parallelism::Tensor
                      : how == "layers" ? Parallelism::Layers
                                        : Parallelism::Data;
  const char* local_rank = std::getenv("LOCAL_RANK");
  const c10::Device launched_on =
      run.device.is_cpu() ? run.device : parse_device("cuda:" + std::string(local_rank ? local_rank : "0"));
  if (auto rank = Communicator::from_environment(launched_on)) {
    if (p.has("devices")) throw UsageError("under torchrun each process is one rank: give no --devices");
    if (ranks.parallelism == Parallelism::Layers)
      throw UsageError("--parallel layers runs one process over its --devices: not under torchrun");
    ranks.here = {*rank};
    ranks.launched = true;
    return ranks;
  }
  if (!p.has("devices")) {
    if (p.has("parallel")) throw UsageError("--parallel needs --devices (or a torchrun launch)");
    return ranks;
  }
  std::vector<c10::Device> devices;
  const std::string list = p.value("devices");
  if (list == "all") {
    for (const auto& name : available_devices())
      if (name != "cpu" && split_devices(name).size() == 1) devices.push_back(parse_device(name));
    if (devices.empty()) throw_bad_input("--devices all: this build or machine has no GPU");
  } else {
    for (const auto& name : split_devices(list)) devices.push_back(parse_device(name));
  }
  if (ranks.parallelism == Parallelism::Layers) {
    if (devices.size() < 2) throw UsageError("--parallel layers needs at least two --devices");
    ranks.placement = device_list(devices);
    return ranks;
  }
  ranks.here = Communicator::in_process(devices);
  return ranks;
}

}  // namespace llmdrop::cli
