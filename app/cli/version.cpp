#include "cli/version.h"

#include <torch/cuda.h>
#include <torch/version.h>

namespace llmdrop::cli {

std::string version_text() {
  const size_t devices = torch::cuda::device_count();
  const std::string cuda =
      devices == 0 ? "CUDA not available"
                   : "CUDA available (" + std::to_string(devices) + (devices == 1 ? " device)" : " devices)");
  return std::string("llmdrop ") + LLMDROP_VERSION + "\nlibtorch " + TORCH_VERSION + ", " + cuda + "\n";
}

}  // namespace llmdrop::cli
