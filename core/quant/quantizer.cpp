#include "quant/quantizer.h"

#include <ATen/ATen.h>

#include <vector>

#include "util/error.h"

#ifdef LLMDROP_WITH_CUDA_KERNELS
#include "model/cuda/tensor_kernels.h"
#include "quant/cuda/gptq_block.h"
#endif

namespace llmdrop {

using at::indexing::Slice;

namespace {

float max_code(int bits) {
  return static_cast<float>((1 << bits) - 1);
}

// g_idx (K) for groups of `group_size` columns in `order` (the columns in the order they were quantized).
at::Tensor group_index(int64_t k, int64_t group_size, const at::Tensor& order) {
  const auto opts = at::TensorOptions().dtype(at::kInt);
  if (group_size <= 0) return at::zeros({k}, opts);
  at::Tensor in_order = at::arange(k, opts).floor_divide(group_size);  // group of position j
  if (!order.defined()) return in_order;
  at::Tensor g_idx = at::empty({k}, opts);
  g_idx.index_put_({order.cpu()}, in_order);  // column order[j] lies in group j / group_size
  return g_idx;
}

QuantizedWeight assemble(at::Tensor codes, const std::vector<QuantGrid>& grids, at::Tensor g_idx, int bits) {
  std::vector<at::Tensor> scales, zeros;
  for (const auto& g : grids) {
    scales.push_back(g.scale);
    zeros.push_back(g.zero);
  }
  QuantizedWeight q;
  q.codes = codes.to(at::kByte).cpu();
  q.scales = at::stack(scales).to(at::kHalf).cpu();  // (G, N)
  q.zeros = at::stack(zeros).to(at::kInt).cpu();
  q.g_idx = g_idx;
  q.bits = bits;
  return q;
}

// The grid as stored: scale rounded to float16, so codes are chosen for the scale a loader will use.
QuantGrid stored(QuantGrid g) {
  g.scale = g.scale.to(at::kHalf).to(at::kFloat);
  return g;
}

}  // namespace

QuantGrid gptq_grid(const at::Tensor& w, int bits, bool sym, bool mse) {
  const float maxq = max_code(bits);
  at::Tensor xmin = at::clamp_max(std::get<0>(w.min(1)), 0.0);
  at::Tensor xmax = at::clamp_min(std::get<0>(w.max(1)), 0.0);
  if (sym) {
    xmax = at::maximum(xmin.abs(), xmax);
    xmin = at::where(xmin < 0, -xmax, xmin);
  }
  const at::Tensor empty = (xmin == 0) & (xmax == 0);
  xmin = at::where(empty, at::full_like(xmin, -1), xmin);
  xmax = at::where(empty, at::full_like(xmax, 1), xmax);
  auto grid = [&](double shrink) {
    const at::Tensor scale = (xmax - xmin) * shrink / maxq;
    const at::Tensor zero =
        sym ? at::full_like(scale, (maxq + 1) / 2) : at::clamp((-xmin * shrink / scale).round(), 1, maxq);
    return stored({scale, zero});
  };
  QuantGrid best = grid(1);
  if (!mse) return best;
  auto error = [&](const QuantGrid& g) {  // (N) Σ |ŵ − w|^2.4 over the group's columns
    const at::Tensor q = quantize_to_codes(w, g, bits);
    return ((q - g.zero.unsqueeze(1)) * g.scale.unsqueeze(1) - w).abs().pow(2.4).sum(1);
  };
  at::Tensor best_error = error(best);
  for (int i = 1; i < 80; ++i) {  // find_params: grid 100, maxshrink 0.8
    const QuantGrid g = grid(1 - i / 100.0);
    const at::Tensor e = error(g), better = e < best_error;
    best_error = at::where(better, e, best_error);
    best.scale = at::where(better, g.scale, best.scale);
    best.zero = at::where(better, g.zero, best.zero);
  }
  return best;
}

QuantGrid awq_grid(const at::Tensor& w, int bits) {
  const float maxq = max_code(bits);
  const at::Tensor max_val = std::get<0>(w.max(1)), min_val = std::get<0>(w.min(1));
  const at::Tensor scale = at::clamp_min(max_val - min_val, 1e-5) / maxq;
  const at::Tensor zero = at::clamp(-(min_val / scale).round(), 0, maxq);
  return stored({scale, zero});
}

at::Tensor quantize_to_codes(const at::Tensor& w, const QuantGrid& grid, int bits) {
  return at::clamp((w / grid.scale.unsqueeze(1)).round() + grid.zero.unsqueeze(1), 0, max_code(bits));
}

QuantizedWeight quantize_rtn(const at::Tensor& weight, const QuantScheme& scheme) {
  const at::Tensor w = weight.to(at::kFloat);
  const int64_t n = w.size(0), k = w.size(1), size = scheme.group_size > 0 ? scheme.group_size : k;
  if (k % size != 0)
    throw_bad_input("input features " + std::to_string(k) + " are not a multiple of the group size");
  // Every group of every row at once: a grid is per row of its group's columns, so (N·G, size) rows give
  // each group's grid.
  const int64_t groups = k / size;
  const at::Tensor rows = w.reshape({n * groups, size});
  const QuantGrid grid = scheme.method == QuantMethod::awq
                             ? awq_grid(rows, scheme.bits)
                             : gptq_grid(rows, scheme.bits, scheme.sym, scheme.mse);
  const at::Tensor codes = quantize_to_codes(rows, grid, scheme.bits).reshape({n, k});
  const at::Tensor scales = grid.scale.reshape({n, groups}).t(), zeros = grid.zero.reshape({n, groups}).t();
  std::vector<QuantGrid> grids;
  for (int64_t g = 0; g < groups; ++g) grids.push_back({scales[g], zeros[g]});
  return assemble(codes, grids, group_index(k, scheme.group_size, {}), scheme.bits);
}

QuantizedWeight quantize_gptq(const at::Tensor& weight, const at::Tensor& hessian,
                              const QuantScheme& scheme) {
  at::Tensor w = weight.to(at::kFloat).clone();  // (N, K), updated with the error feedback
  at::Tensor h = hessian.to(w.device(), at::kFloat).clone();
  const int64_t n = w.size(0), k = w.size(1), bits = scheme.bits, size = scheme.group_size;
  if (size > 0 && k % size != 0)
    throw_bad_input("input features " + std::to_string(k) + " are not a multiple of the group size");
  // Inputs that never fired: their columns cannot matter; keep H invertible.
  const at::Tensor dead = h.diagonal() == 0;
  h.diagonal().masked_fill_(dead, 1);
  w.masked_fill_(dead.unsqueeze(0), 0);
  at::Tensor order;  // act-order: columns by decreasing H diagonal
  if (scheme.desc_act) {
    order = std::get<1>(at::sort(h.diagonal(), /*stable=*/true, /*dim=*/0, /*descending=*/true));
    w = w.index_select(1, order);
    h = h.index_select(0, order).index_select(1, order);
  }
  h.diagonal().add_(scheme.damp_percent * h.diagonal().mean());
  // Upper Cholesky factor of H⁻¹: row i holds what quantizing column i does to the columns after it.
  auto [lower, info] = at::linalg_cholesky_ex(h);
  if (info.item<int>() != 0)
    throw_bad_input("GPTQ: the Hessian is not positive definite even after dampening; raise --damp");
  at::Tensor h_inv = at::linalg_cholesky(at::cholesky_inverse(lower)).t().contiguous();  // (K, K)

  at::Tensor codes = at::zeros({n, k}, w.options());
  std::vector<QuantGrid> grids;
  QuantGrid grid;
  if (size <= 0) grids.push_back(grid = gptq_grid(w, bits, scheme.sym, scheme.mse));
  for (int64_t i1 = 0; i1 < k; i1 += scheme.block_size) {
    const int64_t i2 = std::min(i1 + scheme.block_size, k), count = i2 - i1;
    // The grids of the block's columns: the one carried in, and one per group starting here, each from the
    // columns as they stand before the block's own updates (as GPTQ does: w changes only after the block).
    std::vector<QuantGrid> block_grids;
    std::vector<int32_t> grid_of(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
      if (size > 0 && (i1 + i) % size == 0) {
        grids.push_back(grid = gptq_grid(w.slice(1, i1 + i, i1 + i + size), bits, scheme.sym, scheme.mse));
        block_grids.push_back(grid);
      } else if (block_grids.empty()) {
        block_grids.push_back(grid);
      }
      grid_of[static_cast<size_t>(i)] = static_cast<int32_t>(block_grids.size() - 1);
    }
    const at::Tensor h_inv1 = h_inv.slice(0, i1, i2).slice(1, i1, i2);
    at::Tensor err1;  // (N, count) each column's error over its H⁻¹ diagonal entry
#ifdef LLMDROP_WITH_CUDA_KERNELS
    if (w.is_cuda()) {
      const at::Tensor held = w.slice(1, i1, i2).t().contiguous();  // (count, N)
      const at::Tensor block_codes = at::empty_like(held), block_err = at::empty_like(held);
      std::vector<at::Tensor> scales, zeros;
      for (const auto& g : block_grids) scales.push_back(g.scale), zeros.push_back(g.zero);
      const at::Tensor scale = at::stack(scales).contiguous(),
                       zero = at::stack(zeros).contiguous();  // (B, N)
      const at::Tensor h_block = h_inv1.contiguous();
      const at::Tensor grid_index = at::tensor(grid_of).to(w.device());
      cuda::gptq_block({.w = held.data_ptr<float>(),
                        .codes = block_codes.data_ptr<float>(),
                        .err = block_err.data_ptr<float>(),
                        .h_inv = h_block.data_ptr<float>(),
                        .scale = scale.data_ptr<float>(),
                        .zero = zero.data_ptr<float>(),
                        .grid_of = grid_index.data_ptr<int32_t>(),
                        .n = n,
                        .count = static_cast<int>(count),
                        .max_code = max_code(static_cast<int>(bits))},
                       cuda::stream_of(w));
      codes.slice(1, i1, i2).copy_(block_codes.t());
      err1 = block_err.t().contiguous();
    }
#endif
    if (!err1.defined()) {
      at::Tensor w1 = w.slice(1, i1, i2).clone();  // (N, count)
      err1 = at::zeros_like(w1);
      for (int64_t i = 0; i < count; ++i) {
        const QuantGrid& g = block_grids[static_cast<size_t>(grid_of[static_cast<size_t>(i)])];
        const at::Tensor col = w1.select(1, i);  // (N)
        const at::Tensor code = quantize_to_codes(col.unsqueeze(1), g, bits).squeeze(1);
        codes.select(1, i1 + i).copy_(code);
        const at::Tensor q = g.scale * (code - g.zero);
        const at::Tensor err = (col - q) / h_inv1[i][i];
        w1.slice(1, i).sub_(err.unsqueeze(1) * h_inv1.select(0, i).slice(0, i).unsqueeze(0));
        err1.select(1, i).copy_(err);
      }
    }
    w.slice(1, i2).sub_(err1.mm(h_inv.slice(0, i1, i2).slice(1, i2)));
  }
  if (order.defined()) codes = codes.index_select(1, at::argsort(order));
  return assemble(codes, grids, group_index(k, size, order), bits);
}

at::Tensor awq_fake_quantize(const at::Tensor& weight, int bits, int64_t group_size) {
  const int64_t n = weight.size(0), k = weight.size(1);
  const at::Tensor w = weight.to(at::kFloat).reshape({-1, group_size});  // (N·G, group)
  const QuantGrid grid = awq_grid(w, bits);
  const at::Tensor codes = quantize_to_codes(w, grid, bits);
  return ((codes - grid.zero.unsqueeze(1)) * grid.scale.unsqueeze(1)).reshape({n, k});
}

at::Tensor awq_clip(const at::Tensor& weight, const at::Tensor& x, int bits, int64_t group_size) {
  constexpr int kSteps = 80;  // shrink factors 1, 0.99 … 0.21, as GPTQ's range search
  constexpr int64_t kTokens = 512, kRowsPerBatch = 256;
  const int64_t n = weight.size(0), k = weight.size(1), groups = k / group_size;
  // At most kTokens evenly spaced tokens, each group's columns: (G, T, group)
  const int64_t step = std::max<int64_t>(1, x.size(0) / kTokens);
  const at::Tensor xs =
      x.to(at::kFloat).slice(0, 0, x.size(0), step).reshape({-1, groups, group_size}).transpose(0, 1);
  const at::Tensor w = weight.to(at::kFloat).reshape({n, groups, group_size});
  // Each group's share of the outputs: (R, G, group) → (G, T, R)
  auto partial_outputs = [&](const at::Tensor& wb) { return at::bmm(xs, wb.permute({1, 2, 0})); };
  std::vector<at::Tensor> lows, highs;
  for (int64_t r = 0; r < n; r += kRowsPerBatch) {
    const at::Tensor wb = w.slice(0, r, std::min(r + kRowsPerBatch, n));  // (R, G, group)
    const at::Tensor high = wb.amax(-1, true), low = wb.amin(-1, true);   // (R, G, 1)
    const at::Tensor reference = partial_outputs(wb);
    at::Tensor best_high = high, best_low = low, best_err = at::full_like(high, INFINITY);
    for (int i = 0; i < kSteps; ++i) {
      const double shrink = 1.0 - i / 100.0;
      const at::Tensor h = high * shrink, l = low * shrink;
      const at::Tensor q =
          awq_fake_quantize(at::clamp(wb, l, h).reshape({-1, k}), bits, group_size).reshape(wb.sizes());
      const at::Tensor err =
          (partial_outputs(q) - reference).pow(2).mean(1).t().unsqueeze(-1);  // (G, R) → (R, G, 1)
      const at::Tensor better = err < best_err;
      best_err = at::where(better, err, best_err);
      best_high = at::where(better, h, best_high);
      best_low = at::where(better, l, best_low);
    }
    highs.push_back(best_high);
    lows.push_back(best_low);
  }
  return at::clamp(w, at::cat(lows), at::cat(highs)).reshape({n, k}).to(weight.scalar_type());
}

}  // namespace llmdrop
