#pragma once
// Progress of the commands' jobs on stderr, and Ctrl-C.
#include <cstdint>
#include <string>

#include "jobs/job.h"

namespace llmdrop::cli {

// A job that shows its progress on stderr as "[what] done/total message  (42%, 8.3/s, 0:37 left)". On a
// terminal that is one line, rewritten in place; otherwise (a log, a pipe) a line when a phase starts, then
// at most one per 2 s and only after another 10 % (or after 30 s of silence). Each phase (a new total) ends
// with
// "[what] done/total message in 1:13 (8.5/s)"; a job that ends before its total is reached gets that line
// when it is destroyed. Ctrl-C cancels the running job between layers or batches (its partial output is
// removed); a second Ctrl-C ends the process at once.
JobContext progress_printer(const std::string& what);

// Runs work(job) as one progress_printer job and returns what it returns; the job's last line is out before
// the command prints its result.
template <class Work>
auto run_job(const std::string& what, Work&& work) {
  JobContext job = progress_printer(what);
  return work(job);
}

// The parts of a progress line, exposed for tests.
// 7.4 → "0:07", 65 → "1:05", 3723 → "1:02:03" (rounded to the second).
std::string format_duration(double seconds);
// Items per second: "850/s", "12.5/s", "2.50/s", or below one per second "4.0 s each".
std::string format_rate(double per_second);
// The line for `progress` after `counted` items of its phase took `seconds`: the fraction, rate and time left
// while the phase runs; once it has `ended`, the time it took and its rate.
std::string progress_line(const std::string& what, const Progress& progress, int64_t counted, double seconds,
                          bool ended);

}  // namespace llmdrop::cli
