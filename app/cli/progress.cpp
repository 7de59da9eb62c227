#include "cli/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>
#include <mutex>

namespace llmdrop::cli {

namespace {

using Clock = std::chrono::steady_clock;

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

// Escape codes only where a terminal shows them.
bool stderr_is_terminal() {
  const char* term = std::getenv("TERM");
  return isatty(STDERR_FILENO) && !(term && std::string(term) == "dumb");
}

// A line longer than the terminal wraps, and "\r" would then rewrite only its last row.
std::string fit_terminal(std::string line) {
  winsize size{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 1 && line.size() >= size.ws_col)
    line.resize(size.ws_col - 1);
  return line;
}

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// One job's progress. A phase starts at the first report and whenever the total changes or `done` goes back
// (a job that loads, then scores); rate and time left count from the phase's start.
class JobLine {
 public:
  explicit JobLine(std::string what) : what_(std::move(what)), terminal_(stderr_is_terminal()) {}
  JobLine(const JobLine&) = delete;
  JobLine& operator=(const JobLine&) = delete;

  void report(const Progress& p) {
    const std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    const bool new_phase = !reported_ || p.total != last_.total || p.done < last_.done;
    if (new_phase) phase_start_ = now, phase_start_done_ = p.done, phase_ended_ = false;
    last_ = p, last_time_ = now, reported_ = true;
    if (phase_ended_) return;
    if (p.total > 0 && p.done >= p.total) return end_phase();
    const double fraction = p.total > 0 ? static_cast<double>(p.done) / static_cast<double>(p.total) : 0;
    const double quiet = seconds_between(shown_time_, now);
    const bool due =
        terminal_ ? quiet >= 0.1 : (quiet >= 2 && fraction - shown_fraction_ >= 0.1) || quiet >= 30;
    if (!new_phase && !due) return;
    show(line(false), false);
    shown_fraction_ = fraction;
  }

  // A job that ends normally before its total (generation stopped at EOS) still gets its final line; one
  // that ends by an exception only closes its line, for the error message that follows.
  ~JobLine() {
    if (!reported_ || phase_ended_) return;
    if (std::uncaught_exceptions() > exceptions_at_start_) {
      if (line_open_) std::cerr << std::endl;
      return;
    }
    end_phase();
  }

 private:
  std::string line(bool ended) const {
    return progress_line(what_, last_, last_.done - phase_start_done_,
                         seconds_between(phase_start_, last_time_), ended);
  }

  void end_phase() {
    show(line(true), true);
    phase_ended_ = true;
  }

  void show(const std::string& text, bool final_line) {
    if (terminal_)
      std::cerr << "\r\033[K" << fit_terminal(text) << (final_line ? "\n" : "") << std::flush;
    else
      std::cerr << text << std::endl;
    line_open_ = terminal_ && !final_line;
    shown_time_ = Clock::now();
  }

  const std::string what_;
  const bool terminal_;
  const int exceptions_at_start_ = std::uncaught_exceptions();
  std::mutex mutex_;
  Progress last_;
  bool reported_ = false, phase_ended_ = false, line_open_ = false;
  int64_t phase_start_done_ = 0;
  Clock::time_point phase_start_, last_time_, shown_time_;
  double shown_fraction_ = 0;
};

}  // namespace

JobContext progress_printer(const std::string& what) {
  auto job_line = std::make_shared<JobLine>(what);
  return JobContext(interrupt_root(), [job_line](const Progress& progress) { job_line->report(progress); });
}

std::string format_duration(double seconds) {
  const long long s = std::llround(std::max(0.0, seconds));
  char text[32];
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(text, sizeof text, "%lld:%02lld", s / 60, s % 60);
  return text;
}

std::string format_rate(double per_second) {
  char text[32];
  if (per_second >= 100)
    std::snprintf(text, sizeof text, "%.0f/s", per_second);
  else if (per_second >= 10)
    std::snprintf(text, sizeof text, "%.1f/s", per_second);
  else if (per_second >= 1)
    std::snprintf(text, sizeof text, "%.2f/s", per_second);
  else
    std::snprintf(text, sizeof text, "%.1f s each", 1 / per_second);
  return text;
}

std::string progress_line(const std::string& what, const Progress& p, int64_t counted, double seconds,
                          bool ended) {
  std::string text = "[" + what + "] " + std::to_string(p.done) + "/" + std::to_string(p.total);
  if (!p.message.empty()) text += " " + p.message;
  const bool timed = counted > 0 && seconds > 0;
  const double rate = timed ? static_cast<double>(counted) / seconds : 0;
  if (ended) return text + " in " + format_duration(seconds) + (timed ? " (" + format_rate(rate) + ")" : "");
  if (p.total <= 0) return text;
  text += "  (" + std::to_string(100 * p.done / p.total) + "%";
  if (timed)
    text += ", " + format_rate(rate) + ", " + format_duration(static_cast<double>(p.total - p.done) / rate) +
            " left";
  return text + ")";
}

}  // namespace llmdrop::cli
