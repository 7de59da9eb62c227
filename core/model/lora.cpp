#include "model/lora.h"

#include <ATen/ATen.h>

namespace llmdrop {

at::Tensor LoraAdapter::added_to(const at::Tensor& y, const at::Tensor& x) const {
  // Every part in two products: the A's stacked (P·r, K), the B's block-diagonal (Σ rows, P·r) so that each
  // part's rows see only its own rank columns; the second product adds y in its epilogue.
  std::vector<at::Tensor> as, bs;
  for (const LoraPart& p : parts) as.push_back(p.a), bs.push_back(p.b);
  const at::Tensor a = as.size() == 1 ? as.front() : at::cat(as, 0);
  const at::Tensor b = bs.size() == 1 ? bs.front() : at::block_diag(bs);
  const at::Tensor u =
      at::linear(x.to(at::kFloat), a);  // (…, P·r); PEFT casts the input to the adapter's dtype
  const at::Tensor sum = at::addmm(y.to(at::kFloat).reshape({-1, y.size(-1)}), u.reshape({-1, u.size(-1)}),
                                   b.t(), 1, scaling);  // (M, Σ rows)
  return sum.view(y.sizes()).to(y.scalar_type());
}

at::Tensor LoraAdapter::weight_delta(size_t part) const {
  return parts.at(part).b.mm(parts.at(part).a) * scaling;
}

}  // namespace llmdrop
