#pragma once
// Several devices for one command: --devices gives this process one rank per device (Gloo ranks on the CPU,
// NCCL ranks on GPUs); under torchrun (WORLD_SIZE > 1) this process is one rank of a launch over processes or
// hosts. --parallel says how a model spreads over the ranks: data (a replica per rank, the samples split) or
// tensor (each layer split over the ranks); or, with no ranks, layers (one model whose layer ranges are
// placed over the devices, one process).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/arg_parser.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "distributed/communicator.h"
#include "jobs/job.h"
#include "session/session.h"

namespace llmdrop::cli {

// --devices and --parallel.
void add_devices_options(ArgParser& p);

enum class Parallelism { Data, Tensor, Layers };

struct Ranks {
  std::vector<std::shared_ptr<Communicator>> here;  // this process's ranks; empty: one device, no ranks
  Parallelism parallelism = Parallelism::Data;
  bool launched = false;  // torchrun: the ranks are processes, `here` holds this one's
  std::string placement;  // --parallel layers: the devices, "cuda:0,cuda:1" (no ranks)

  bool any() const { return !here.empty(); }
  // Whether this process prints and writes the results: always, but under torchrun only rank 0.
  bool lead() const { return !launched || here.front()->rank() == 0; }
  // Whether `rank` (null without ranks) is the one that prints and writes.
  bool leads(const std::shared_ptr<Communicator>& rank) const {
    return !rank || (rank == here.front() && lead());
  }
  // The communicator a data-parallel job of `rank` splits its work over; null otherwise.
  std::shared_ptr<const Communicator> data_parallel(const std::shared_ptr<Communicator>& rank) const {
    return parallelism == Parallelism::Data ? rank : nullptr;
  }
  // E.g. "cuda:0,cuda:1 (tensor parallel)", as a result records where it was computed; `run`'s device alone
  // without ranks or placement.
  std::string describe(const RunOptions& run) const;
  // `run`'s session options for one rank: its device, and its share of each layer with tensor parallelism;
  // without a rank, the placement of the layers when there is one.
  SessionOptions session_options(const RunOptions& run, const std::shared_ptr<Communicator>& rank) const;
};

// The ranks --devices (or a torchrun launch) asks for; BadInput for a device this machine lacks.
Ranks open_ranks(const ArgParser& p, const RunOptions& run);

// Runs work(rank, job) on every rank of this process (each on a thread of its own when there are several),
// or once with no rank; returns the lead rank's result. Only the lead's progress is printed, as `what`.
template <class Result>
Result on_ranks(const Ranks& ranks, const std::string& what,
                const std::function<Result(const std::shared_ptr<Communicator>&, JobContext&)>& work) {
  if (!ranks.any()) return run_job(what, [&](JobContext& job) { return work(nullptr, job); });
  // The lead rank reports (a launched process other than rank 0 prints nothing); the others follow its
  // cancellation (Ctrl-C), at the same points, so that no rank is left waiting in a collective.
  JobContext job = ranks.lead() ? progress_printer(what) : JobContext();
  std::optional<Result> lead;
  run_ranks(ranks.here, [&](const std::shared_ptr<Communicator>& rank) {
    if (rank != ranks.here.front()) {
      JobContext follower(job, {});
      work(rank, follower);
      return;
    }
    lead = work(rank, job);  // only this thread writes it
  });
  return std::move(*lead);
}

// A command that runs one model on `ckpt` (no samples to split): on run's device, on tensor-parallel ranks
// (the lead's result) or with its layers placed over the devices; data parallelism is refused.
template <class Result>
Result on_one_model(const Ranks& ranks, const Checkpoint& ckpt, const RunOptions& run,
                    const std::string& what, const std::function<Result(const Model&, JobContext&)>& work) {
  if (ranks.any() && ranks.parallelism == Parallelism::Data)
    throw UsageError(what + " runs one model: with several devices give --parallel tensor or layers");
  if (!ranks.any()) {  // one process, one model: its load reported on its own ("[load] …")
    JobContext loading = progress_printer("load");
    const auto session = Session::load(ckpt, ranks.session_options(run, nullptr), run.drops, loading);
    return run_job(what, [&](JobContext& job) {
      return session->run(job, [&](const Model& model) { return work(model, job); });
    });
  }
  return on_ranks<Result>(ranks, what, [&](const std::shared_ptr<Communicator>& rank, JobContext& job) {
    Session session(ckpt, ranks.session_options(run, rank), run.drops, job);
    return session.run(job, [&](const Model& model) { return work(model, job); });
  });
}

}  // namespace llmdrop::cli
