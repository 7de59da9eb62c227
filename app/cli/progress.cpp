#include "cli/progress.h"

#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>

namespace llmdrop::cli {

namespace {

// Every command's jobs hang below this one, so that one SIGINT handler cancels whichever runs.
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

}  // namespace

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

}  // namespace llmdrop::cli
