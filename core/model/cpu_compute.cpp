#include "model/cpu_compute.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>
#include <malloc.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "util/error.h"
#include "util/parse.h"

namespace llmdrop {

namespace {

// Blocks up to this size come from the heap (attention scores of a 1024-token block are 32 MiB); larger
// ones (a 7B model's weight matrices) are still mapped, so freeing a dropped module returns its memory.
constexpr int kMmapThresholdBytes = 64 << 20;
// Freed memory at the top of the heap kept for the next pass, instead of being returned and faulted in again.
constexpr int kTrimThresholdBytes = 1 << 30;

// OpenBLAS's runtime API, looked up rather than linked: which BLAS stands behind libblas.so.3 is the
// machine's choice.
using SetThreads = void (*)(int);
using GetThreads = int (*)();

SetThreads openblas_set() {
  return reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
}
GetThreads openblas_get() {
  return reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
}

int available_cores() {
  if (const char* env = std::getenv("LLMDROP_THREADS"); env && *env) {
    const auto n = parse_int(env);
    if (!n || *n < 1 || *n > 1024)
      throw_bad_input(std::string("LLMDROP_THREADS='") + env + "' must be a thread count from 1 to 1024");
    return static_cast<int>(*n);
  }
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

CpuCompute tune() {
  CpuCompute c;
  c.cores = available_cores();
  c.tuned = true;
  if (const auto set_blas = openblas_set()) {
    c.intra_op = 1;
    c.blas = c.cores;
    set_blas(c.blas);
  } else {
    c.intra_op = c.cores;
  }
  at::set_num_threads(c.intra_op);
  mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes);
  mallopt(M_TRIM_THRESHOLD, kTrimThresholdBytes);
  return c;
}

CpuCompute library_defaults() {
  CpuCompute c;
  c.cores = available_cores();
  c.intra_op = at::get_num_threads();
  if (const auto get_blas = openblas_get()) c.blas = get_blas();
  return c;
}

}  // namespace

const CpuCompute& configure_cpu_compute(CpuPolicy policy) {
  static CpuCompute decided;
  static std::once_flag once;
  std::call_once(once, [policy] { decided = policy == CpuPolicy::tuned ? tune() : library_defaults(); });
  return decided;
}

int64_t workers_for(int64_t n, bool on_cpu) {
  const CpuCompute& c = configure_cpu_compute();
  return on_cpu && c.tuned && openblas_set() && c.blas > 1
             ? std::max<int64_t>(1, std::min<int64_t>(c.cores, n))
             : 1;
}

void for_each_on_cores(int64_t n, bool on_cpu,
                       const std::function<void(int64_t item, int64_t worker)>& work) {
  const int64_t workers = workers_for(n, on_cpu);
  if (workers == 1) {
    for (int64_t i = 0; i < n; ++i) work(i, 0);
    return;
  }
  const auto set_blas = openblas_set();
  set_blas(1);
  std::atomic<bool> failed{false};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto worker = [&](int64_t w) {
    for (int64_t i = w; i < n && !failed; i += workers) {
      try {
        work(i, w);
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> helpers;
  for (int64_t w = 1; w < workers; ++w) helpers.emplace_back(worker, w);
  worker(0);
  for (auto& helper : helpers) helper.join();
  set_blas(configure_cpu_compute().blas);
  if (failure) std::rethrow_exception(failure);
}

std::string describe(const CpuCompute& c) {
  auto threads = [](int n) { return std::to_string(n) + (n == 1 ? " thread" : " threads"); };
  return std::to_string(c.cores) + (c.cores == 1 ? " core" : " cores") + ": libtorch " + threads(c.intra_op) +
         (c.blas > 0 ? ", OpenBLAS " + threads(c.blas) : "") +
         (c.tuned ? ", heap kept" : " (the libraries' defaults)");
}

}  // namespace llmdrop
