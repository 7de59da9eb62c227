#pragma once
// What the kernels of model/cuda need to know of an ATen tensor (CUDA builds only).
#include <ATen/core/Tensor.h>
#include <cuda_runtime_api.h>

#include <optional>

#include "model/cuda/decode_kernels.h"

namespace llmdrop::cuda {

// The kernels' element type for a bfloat16 or float16 tensor on a GPU; nullopt for anything else, and while
// autograd records (healing: the kernels have no backward).
std::optional<ElementType> element_type(const at::Tensor& t);
// The current stream of t's device.
cudaStream_t stream_of(const at::Tensor& t);

}  // namespace llmdrop::cuda
