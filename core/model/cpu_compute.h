#pragma once
// How the CPU compute runs: its threads and its heap, decided once per process.
//
// Debian's libtorch runs element-wise work on its own pool and its GEMMs on OpenBLAS's pthread pool; glibc
// maps every block above 32 MiB afresh and trims the heap after each large free, so each forward pass faults
// its activations in page by page (GPTQ of the demo model: 56 million page faults, system time 113 % of user
// on the 2-core machine). So freed activations stay in the heap for the next pass, and one pool does the
// work: a separate OpenBLAS pool gets every core and libtorch's one thread (both at every core spin against
// each other); without one, libtorch's pool gets every core. OpenBLAS's idle workers spin (sched_yield) 2^28
// cycles before they sleep, so work made of independent items runs an item per core with the BLAS
// single-threaded instead (for_each_on_cores): the demo's perplexity took 49 s with a quarter of it in
// system time, and takes 26 s with under 1 %. benchmarks/bench_cpu measures all this against the defaults.
#include <cstdint>
#include <functional>
#include <string>

namespace llmdrop {

struct CpuCompute {
  int cores = 1;       // CPUs this process may run on (its affinity mask), or LLMDROP_THREADS
  int intra_op = 1;    // libtorch's pool
  int blas = 0;        // OpenBLAS's pool; 0 when the BLAS runs on libtorch's pool
  bool tuned = false;  // false: the libraries' defaults were kept (benchmarks' reference)
};

enum class CpuPolicy { tuned, library_defaults };

// The first call applies `policy` (Model::load calls it, so every front end, test and benchmark runs tuned);
// later calls return what the first decided. Throws BadInput when LLMDROP_THREADS is not a number in 1..1024.
const CpuCompute& configure_cpu_compute(CpuPolicy policy = CpuPolicy::tuned);
// "2 cores: libtorch 1 thread, OpenBLAS 2 threads, heap kept"
std::string describe(const CpuCompute& compute);

// Runs work(i, worker) for every i in [0, n): independent items (a perplexity's windows, GPTQ's calibration
// batches) on one thread per core, the BLAS single-threaded meanwhile. Items of a few hundred tokens use two
// cores better than one item's GEMMs split in two (and no BLAS worker waits spinning between them). Worker w
// of workers_for(n) takes items w, w + W, w + 2W… in order, so what a worker accumulates is the same on
// every run. Without OpenBLAS, on one core, with the libraries' defaults kept (CpuPolicy::library_defaults)
// or with one item, and for work on a GPU (on_cpu false): one worker, the calling thread. The first exception
// stops the items not yet begun and is rethrown. `work` runs on several threads at once: what workers share
// needs a lock.
int64_t workers_for(int64_t n, bool on_cpu);
void for_each_on_cores(int64_t n, bool on_cpu, const std::function<void(int64_t item, int64_t worker)>& work);

}  // namespace llmdrop
