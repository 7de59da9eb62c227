#include "model/device_memory.h"

#include <ATen/ATen.h>

#include <c10/util/Exception.h>
#include <sys/resource.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <string>

#ifdef LLMDROP_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>
#endif

#include "util/error.h"
#include "util/parse.h"

namespace llmdrop {

void synchronize(c10::Device device) {
#ifdef LLMDROP_WITH_CUDA
  if (device.is_cuda()) c10::cuda::device_synchronize();
#endif
  (void)device;
}

void synchronize_current_stream(c10::Device device) {
#ifdef LLMDROP_WITH_CUDA
  if (device.is_cuda()) c10::cuda::getCurrentCUDAStream(device.index()).synchronize();
#endif
  (void)device;
}

void on_side_stream(c10::Device device, const std::function<void()>& work) {
#ifdef LLMDROP_WITH_CUDA
  if (device.is_cuda()) {
    const c10::cuda::CUDAStream side = c10::cuda::getStreamFromPool(false, device.index());
    const c10::cuda::CUDAStreamGuard guard(side);
    work();
    side.synchronize();
    return;
  }
#endif
  work();
}

void reset_peak_memory(c10::Device device) {
#ifdef LLMDROP_WITH_CUDA
  if (device.is_cuda()) {
    // The allocator's statistics exist once CUDA is initialised: before the first allocation they do not.
    (void)at::empty({1}, at::TensorOptions().device(device));
    c10::cuda::CUDACachingAllocator::resetPeakStats(device.index() < 0 ? 0 : device.index());
  }
#endif
  (void)device;
}

int64_t peak_memory_bytes(c10::Device device) {
#ifdef LLMDROP_WITH_CUDA
  if (device.is_cuda())
    return c10::cuda::CUDACachingAllocator::getDeviceStats(device.index() < 0 ? 0 : device.index())
        .allocated_bytes[0]
        .peak;
#endif
  (void)device;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;
}

void release_cached_memory(c10::Device device) {
#ifdef LLMDROP_WITH_CUDA
  if (device.is_cuda()) c10::cuda::CUDACachingAllocator::emptyCache();
#endif
  (void)device;
}

namespace {
int64_t device_free_bytes(c10::Device device) {
#ifdef LLMDROP_WITH_CUDA
  if (device.is_cuda()) {
    const c10::DeviceIndex index = device.index() < 0 ? 0 : device.index();
    const c10::cuda::CUDAGuard guard(index);
    size_t free = 0, total = 0;
    C10_CUDA_CHECK(cudaMemGetInfo(&free, &total));
    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(index);
    return static_cast<int64_t>(free) + stats.reserved_bytes[0].current - stats.allocated_bytes[0].current;
  }
#endif
  (void)device;
  std::ifstream meminfo("/proc/meminfo");
  std::string line;
  while (std::getline(meminfo, line))
    if (line.rfind("MemAvailable:", 0) == 0) return std::stoll(line.substr(13)) * 1024;  // "… kB"
  return INT64_MAX;  // unknown: do not refuse
}
}  // namespace

int64_t available_memory_bytes(c10::Device device) {
  int64_t limit = INT64_MAX;
  if (const char* env = std::getenv("LLMDROP_MEMORY_LIMIT"); env && *env) {
    const auto bytes = parse_int(env);
    if (!bytes || *bytes < 1)
      throw_bad_input(std::string("LLMDROP_MEMORY_LIMIT='") + env + "' must be a number of bytes");
    limit = *bytes;
  }
  return std::min(limit, device_free_bytes(device));
}

bool is_out_of_memory(const std::exception& error) {
  const std::string what = error.what();
  return what.find("out of memory") != std::string::npos ||
         what.find("CUDA error: out of memory") != std::string::npos;
}

}  // namespace llmdrop
