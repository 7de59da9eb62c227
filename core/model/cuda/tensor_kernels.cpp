#include "model/cuda/tensor_kernels.h"

#include <ATen/core/grad_mode.h>
#include <c10/cuda/CUDAStream.h>

namespace llmdrop::cuda {

std::optional<ElementType> element_type(const at::Tensor& t) {
  if (!t.is_cuda() || at::GradMode::is_enabled()) return std::nullopt;  // the kernels have no backward
  if (t.scalar_type() == at::kBFloat16) return ElementType::bfloat16;
  if (t.scalar_type() == at::kHalf) return ElementType::float16;
  return std::nullopt;
}

cudaStream_t stream_of(const at::Tensor& t) {
  return c10::cuda::getCurrentCUDAStream(t.device().index()).stream();
}

}  // namespace llmdrop::cuda
