#include "model/lora.h"

#include <ATen/ATen.h>

namespace llmdrop {

at::Tensor LoraAdapter::delta(const at::Tensor& x) const {
  const at::Tensor input = x.to(at::kFloat);  // PEFT casts the input to the adapter's dtype
  std::vector<at::Tensor> outputs;
  for (const LoraPart& p : parts) outputs.push_back(at::linear(at::linear(input, p.a), p.b) * scaling);
  return outputs.size() == 1 ? outputs.front() : at::cat(outputs, -1);
}

at::Tensor LoraAdapter::weight_delta() const {
  std::vector<at::Tensor> rows;
  for (const LoraPart& p : parts) rows.push_back(p.b.mm(p.a) * scaling);
  return rows.size() == 1 ? rows.front() : at::cat(rows, 0);
}

}  // namespace llmdrop
