#include "model/linear_weight.h"

#include <ATen/ATen.h>

namespace llmdrop {

at::Tensor LinearWeight::matrix() const {
  return packed ? packed->dequantize().to(dtype) : dense;
}

at::Tensor linear(const at::Tensor& x, const LinearWeight& w, const at::Tensor& bias) {
  return at::linear(x, w.matrix(), bias);
}

}  // namespace llmdrop
