#pragma once
// Wall-clock timing for jobs and benchmarks.
#include <chrono>

namespace llmdrop {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace llmdrop
