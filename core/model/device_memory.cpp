#include "model/device_memory.h"

#include <c10/util/Exception.h>
#include <sys/resource.h>

#include <string>

#ifdef LLMDROP_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#endif

namespace llmdrop {

void synchronize(c10::Device device) {
#ifdef LLMDROP_WITH_CUDA
  if (device.is_cuda()) c10::cuda::device_synchronize();
#endif
  (void)device;
}

void reset_peak_memory(c10::Device device) {
#ifdef LLMDROP_WITH_CUDA
  if (device.is_cuda())
    c10::cuda::CUDACachingAllocator::resetPeakStats(device.index() < 0 ? 0 : device.index());
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

bool is_out_of_memory(const std::exception& error) {
  const std::string what = error.what();
  return what.find("out of memory") != std::string::npos ||
         what.find("CUDA error: out of memory") != std::string::npos;
}

}  // namespace llmdrop
