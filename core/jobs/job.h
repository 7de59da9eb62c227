#pragma once
// The contract every long operation (load, score, eval, bench, quantize) follows: it reports progress
// through its JobContext and checks for cancellation between layers or batches.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "util/error.h"

namespace llmdrop {

struct Progress {
  int64_t done = 0;
  int64_t total = 0;
  std::string message;
};

class JobContext {
 public:
  using ProgressFn = std::function<void(const Progress&)>;

  explicit JobContext(ProgressFn on_progress = {}) : on_progress_(std::move(on_progress)) {}
  // A sub-job: its own progress mapping, cancelled whenever `parent` is.
  JobContext(const JobContext& parent, ProgressFn on_progress)
      : on_progress_(std::move(on_progress)), parent_(&parent) {}

  void report(int64_t done, int64_t total, std::string message) {
    if (on_progress_) on_progress_(Progress{done, total, std::move(message)});
  }
  // Thread-safe: the GUI calls this from the UI thread while the job runs elsewhere.
  void cancel() { cancelled_.store(true); }
  bool cancelled() const { return cancelled_.load() || (parent_ && parent_->cancelled()); }
  void throw_if_cancelled() const {
    if (cancelled()) throw Error(Error::Kind::Cancelled, "cancelled");
  }

  // For callers that do not track progress.
  static JobContext& silent() {
    static thread_local JobContext context;
    return context;
  }

 private:
  ProgressFn on_progress_;
  const JobContext* parent_ = nullptr;
  std::atomic<bool> cancelled_{false};
};

}  // namespace llmdrop
