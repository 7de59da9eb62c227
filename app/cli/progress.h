#pragma once
// Progress of the commands' jobs on stderr, and Ctrl-C.
#include <string>

#include "jobs/job.h"

namespace llmdrop::cli {

// A job that prints "[what] done/total message" lines on stderr, at most a few per second. Ctrl-C cancels the
// running job between layers or batches (its partial output is removed); a second Ctrl-C ends the process at
// once.
JobContext progress_printer(const std::string& what);

}  // namespace llmdrop::cli
