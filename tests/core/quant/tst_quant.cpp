// Quantization: the packed formats against hand-computed words, GPTQ's defining properties (no correlation:
// round-to-nearest; correlation: a smaller output error than round-to-nearest), and whole checkpoints
// quantized, written, loaded back and run.
#include <ATen/ATen.h>

#include <QTemporaryDir>
#include <QtTest>
#include <cstdint>
#include <vector>

#include "checkpoint/checkpoint.h"
#include "checkpoint/family.h"
#include "checkpoint/quant_formats.h"
#include "checkpoint/safetensors.h"
#include "checkpoint/summary.h"
#include "checkpoint/tokenizer.h"
#include "model/linear_weight.h"
#include "model/model.h"
#include "quant/quantize_checkpoint.h"
#include "quant/quantizer.h"
#include "support/test_support.h"
#include "support/tree_digest.h"
#include "util/sha256.h"

using namespace llmdrop;
namespace fs = std::filesystem;

namespace {

// An obviously correct scalar packer: value j of each 32-value block of a column at bit j·bits of a
// little-endian stream of 32·bits bits.
std::vector<uint32_t> reference_pack(const std::vector<uint32_t>& column, int bits) {
  std::vector<uint32_t> words(column.size() / 32 * bits, 0);
  for (size_t j = 0; j < column.size(); ++j)
    for (int b = 0; b < bits; ++b) {
      const size_t bit = (j / 32) * 32 * bits + (j % 32) * bits + b;
      if ((column[j] >> b) & 1u) words[bit / 32] |= 1u << (bit % 32);
    }
  return words;
}

QuantScheme scheme(QuantMethod method, int bits, int64_t group, bool desc_act = false) {
  QuantScheme s;
  s.method = method;
  s.bits = bits;
  s.group_size = group;
  s.desc_act = desc_act;
  return s;
}

// ‖X·Ŵᵀ − X·Wᵀ‖² / ‖X·Wᵀ‖²
double output_error(const at::Tensor& x, const at::Tensor& w, const QuantizedWeight& q) {
  const at::Tensor reference = x.mm(w.t());
  return ((x.mm(q.dequantize().to(at::kFloat).t()) - reference).pow(2).sum() / reference.pow(2).sum())
      .item<double>();
}

// Inputs with strongly correlated features, as activations have: (tokens, K).
at::Tensor correlated_inputs(int64_t tokens, int64_t k) {
  const at::Tensor base = at::randn({tokens, k / 8});
  return base.repeat_interleave(8, 1) + 0.1 * at::randn({tokens, k}) + at::linspace(0, 2, k);
}

QuantizeRequest request(QuantScheme s) {
  QuantizeRequest r;
  r.scheme = s;
  r.data = test::data_dir() / "calibration" / "calib.jsonl";
  r.samples = 4;
  r.seq_len = 64;
  r.batch_size = 2;
  r.device = test::test_device();
  r.dtype = "float32";
  return r;
}

// Mean |Δ log p(next token)| between two models over a sentence.
double logprob_distance(const Model& a, const Model& b) {
  const Tokenizer tok = Tokenizer::open(test::model_dir("llama"), a.config());
  const auto ids =
      tok.encode("The quick brown fox jumps over the lazy dog. A small model reads a short text.");
  const at::Tensor input = at::tensor(std::vector<int64_t>(ids.begin(), ids.end())).unsqueeze(0);
  const at::Tensor next = input.slice(1, 1).unsqueeze(-1);  // (1, T−1, 1) the tokens that follow
  auto logprobs = [&](const Model& m) {
    return at::log_softmax(m.forward(input).to(at::kFloat), -1)
        .slice(1, 0, -1)
        .gather(-1, next.to(m.device()));
  };
  return (logprobs(a) - logprobs(b)).abs().mean().item<double>();
}

}  // namespace

class QuantTest : public QObject {
  Q_OBJECT

 private slots:
  void packRowsMatchesHandComputedWords() {
    // 4 bits: values 1…8 then zeros: the first word is 0x87654321.
    std::vector<int32_t> column(32, 0);
    for (int i = 0; i < 8; ++i) column[i] = i + 1;
    const at::Tensor packed = pack_rows(at::tensor(column).unsqueeze(1), 4);
    QCOMPARE(packed.sizes().vec(), (std::vector<int64_t>{4, 1}));
    QCOMPARE(static_cast<uint32_t>(packed[0][0].item<int32_t>()), 0x87654321u);
    QCOMPARE(packed.slice(0, 1).abs().sum().item<int64_t>(), int64_t(0));
  }

  void packRowsIsABitStream_data() {
    QTest::addColumn<int>("bits");
    for (int bits : {2, 3, 4, 8}) QTest::newRow(("bits " + std::to_string(bits)).c_str()) << bits;
  }
  void packRowsIsABitStream() {
    QFETCH(int, bits);
    at::manual_seed(bits);
    const at::Tensor values = at::randint(0, 1 << bits, {64, 3}, at::kInt);
    const at::Tensor packed = pack_rows(values, bits);
    QCOMPARE(packed.sizes().vec(), (std::vector<int64_t>{64 * bits / 32, 3}));
    for (int64_t c = 0; c < 3; ++c) {
      std::vector<uint32_t> column;
      for (int64_t r = 0; r < 64; ++r) column.push_back(static_cast<uint32_t>(values[r][c].item<int32_t>()));
      const auto words = reference_pack(column, bits);
      for (size_t w = 0; w < words.size(); ++w)
        QCOMPARE(static_cast<uint32_t>(packed[int64_t(w)][c].item<int32_t>()), words[w]);
    }
    QVERIFY(at::equal(unpack_rows(packed, bits), values));
  }

  void awqPackingInterleavesColumns() {
    // One input row, output columns 0…7 holding codes 0…7: AWQ puts columns 0 2 4 6 1 3 5 7 in the nibbles.
    QuantizedWeight q;
    q.bits = 4;
    q.codes = at::arange(8, at::kInt).unsqueeze(1).repeat({1, 32});  // (N 8, K 32): row n all n
    q.scales = at::ones({1, 8}, at::kHalf);
    q.zeros = at::full({1, 8}, 3, at::kInt);
    q.g_idx = at::zeros({32}, at::kInt);
    const auto packed = pack_linear(q, scheme(QuantMethod::awq, 4, 32), "x");
    QCOMPARE(packed.at("x.qweight").sizes().vec(), (std::vector<int64_t>{32, 1}));
    QCOMPARE(static_cast<uint32_t>(packed.at("x.qweight")[0][0].item<int32_t>()), 0x75316420u);
    QCOMPARE(static_cast<uint32_t>(packed.at("x.qzeros")[0][0].item<int32_t>()), 0x33333333u);
    QVERIFY(!packed.count("x.g_idx"));
  }

  void gptqGridMatchesHandComputedCodes() {
    const at::Tensor w = at::tensor({-1.0f, 0.5f, 2.0f, 3.0f}).unsqueeze(0);
    // Asymmetric, 2 bits: range [-1, 3], scale 4/3, zero round(0.75) = 1.
    QuantGrid g = gptq_grid(w, 2, false);
    QCOMPARE(g.zero.item<float>(), 1.0f);
    QVERIFY(std::abs(g.scale.item<float>() - 4.0f / 3) < 1e-3);
    QVERIFY(
        at::equal(quantize_to_codes(w, g, 2).squeeze(0).to(at::kInt), at::tensor({0, 1, 3, 3}, at::kInt)));
    // Symmetric: range [-3, 3], scale 2, zero 2.
    g = gptq_grid(w, 2, true);
    QCOMPARE(g.zero.item<float>(), 2.0f);
    QCOMPARE(g.scale.item<float>(), 2.0f);
    QVERIFY(
        at::equal(quantize_to_codes(w, g, 2).squeeze(0).to(at::kInt), at::tensor({2, 2, 3, 3}, at::kInt)));
  }

  // GPTQ's mse option: per row, the shrunk range with the least Σ |ŵ − w|^2.4 — no worse than the full range
  // or any other shrink factor on its grid (grids built here by hand), and better for a row with an outlier.
  void gptqGridWithMseMinimisesTheErrorOverShrunkRanges() {
    at::manual_seed(3);
    at::Tensor w = at::randn({8, 64});
    w[0][5] = 9;  // row 0: one outlier
    auto error = [&](const at::Tensor& scale, const at::Tensor& zero) {
      const at::Tensor q = at::clamp((w / scale.unsqueeze(1)).round() + zero.unsqueeze(1), 0, 15);
      return ((q - zero.unsqueeze(1)) * scale.unsqueeze(1) - w).abs().pow(2.4).sum(1);
    };
    const QuantGrid plain = gptq_grid(w, 4, false), searched = gptq_grid(w, 4, false, /*mse=*/true);
    const at::Tensor searched_error = error(searched.scale, searched.zero);
    const at::Tensor xmin = std::get<0>(w.min(1)).clamp_max(0), xmax = std::get<0>(w.max(1)).clamp_min(0);
    for (const double shrink : {1.0, 0.9, 0.75, 0.6, 0.45, 0.3}) {
      const at::Tensor scale = ((xmax - xmin) * shrink / 15).to(at::kHalf).to(at::kFloat);
      const at::Tensor zero = (-xmin * shrink / scale).round().clamp(1, 15);
      QVERIFY((searched_error <= error(scale, zero) + 1e-4).all().item<bool>());
    }
    const float full = error(plain.scale, plain.zero)[0].item<float>(),
                best = searched_error[0].item<float>();
    qInfo("row 0 (outlier): Σ |ŵ − w|^2.4 %.3f with the full range, %.3f searched", full, best);
    QVERIFY(best < full);
    QVERIFY(searched.scale[0].item<float>() < plain.scale[0].item<float>());
  }

  // AWQ's clipping search: per row and group, no range on its grid (each end of [min w, max w] shrunk by 1,
  // 0.99 … 0.21, quantized here by hand) gives a smaller error of that group's share of the outputs; groups
  // with an outlier get clipped.
  void awqClipPicksTheRangeWithTheLeastGroupOutputError() {
    at::manual_seed(5);
    const int64_t group = 32;
    const at::Tensor x = at::randn({300, 64}) * at::linspace(0.2, 3, 64);  // channels of unequal size
    at::Tensor w = at::randn({6, 64});
    for (int64_t r = 0; r < 6; ++r) w[r][r] = 7;  // an outlier on a quiet channel (group 0) of each row
    const at::Tensor clipped = awq_clip(w, x, 4, group);
    auto fake_quantize = [](const at::Tensor& v) {  // one group (C): AWQ's zero-point grid
      const float lo = v.min().item<float>(), hi = v.max().item<float>();
      const float scale = at::scalar_tensor(std::max(hi - lo, 1e-5f) / 15).to(at::kHalf).item<float>();
      const float zero = std::clamp(-std::nearbyint(lo / scale), 0.0f, 15.0f);
      return (at::clamp((v / scale).round() + zero, 0, 15) - zero) * scale;
    };
    int clipped_groups = 0;
    for (int64_t r = 0; r < 6; ++r)
      for (int64_t g = 0; g < 64 / group; ++g) {
        const at::Tensor xg = x.slice(1, g * group, (g + 1) * group),
                         wg = w[r].slice(0, g * group, (g + 1) * group);
        const at::Tensor reference = xg.mv(wg);
        auto error = [&](const at::Tensor& v) {
          return (xg.mv(fake_quantize(v)) - reference).pow(2).mean().item<double>();
        };
        double best = INFINITY;
        for (int i = 0; i < 80; ++i) {
          const double shrink = 1 - i / 100.0;
          best = std::min(
              best, error(at::clamp(wg, wg.min().item<double>() * shrink, wg.max().item<double>() * shrink)));
        }
        const at::Tensor chosen = clipped[r].slice(0, g * group, (g + 1) * group);
        QVERIFY2(error(chosen) <= best * (1 + 1e-4), qPrintable(QString("row %1 group %2").arg(r).arg(g)));
        if (!at::equal(chosen, wg)) ++clipped_groups;
        if (g == 0) {  // the outlier's group: clipping it beats the full range
          QVERIFY(error(chosen) < error(wg));
          QVERIFY(chosen.max().item<float>() < 7);
        }
      }
    qInfo("%d of 12 groups clipped", clipped_groups);
  }

  void gptqWithUncorrelatedInputsIsRoundToNearest() {
    // A diagonal Hessian gives a diagonal H⁻¹: quantizing a column moves no other column.
    at::manual_seed(1);
    const at::Tensor w = at::randn({16, 64});
    const at::Tensor h = at::diag(at::rand({64}) + 0.5);
    for (int64_t group : {int64_t(-1), int64_t(32)}) {
      const QuantScheme s = scheme(QuantMethod::gptq, 4, group);
      const QuantizedWeight gptq = quantize_gptq(w, h, s), rtn = quantize_rtn(w, s);
      QVERIFY(at::equal(gptq.codes, rtn.codes));
      QVERIFY(at::equal(gptq.scales, rtn.scales));
      QVERIFY(at::equal(gptq.zeros, rtn.zeros));
    }
  }

  void gptqLowersTheOutputErrorOfRoundToNearest_data() {
    QTest::addColumn<int>("bits");
    QTest::addColumn<int>("group");
    QTest::addColumn<bool>("desc_act");
    QTest::newRow("4 bits, group 32") << 4 << 32 << false;
    QTest::newRow("4 bits, group 32, act-order") << 4 << 32 << true;
    QTest::newRow("3 bits, per row") << 3 << -1 << false;
    QTest::newRow("2 bits, group 64, act-order") << 2 << 64 << true;
  }
  void gptqLowersTheOutputErrorOfRoundToNearest() {
    QFETCH(int, bits);
    QFETCH(int, group);
    QFETCH(bool, desc_act);
    at::manual_seed(2);
    const at::Tensor w = at::randn({48, 128}), x = correlated_inputs(1024, 128);
    const at::Tensor h = 2 * x.t().mm(x) / x.size(0);
    const QuantScheme s = scheme(QuantMethod::gptq, bits, group, desc_act);
    const QuantizedWeight gptq = quantize_gptq(w, h, s), rtn = quantize_rtn(w, s);
    const double e_gptq = output_error(x, w, gptq), e_rtn = output_error(x, w, rtn);
    qInfo("relative output error: gptq %.5f, round-to-nearest %.5f", e_gptq, e_rtn);
    QVERIFY2(e_gptq < 0.7 * e_rtn, "GPTQ should clearly beat round-to-nearest on correlated inputs");
    QVERIFY(gptq.codes.min().item<int>() >= 0 && gptq.codes.max().item<int>() < (1 << bits));
  }

  // GPTQ as its paper writes it, in float64 and without lazy blocks: each column's error reaches every
  // later column at once. With groups as wide as a block, our blocked float32 loop (on the test device: the
  // GPU's one-thread-per-row kernel there) picks the same codes but for rounding ties.
  void gptqMatchesTheTextbookColumnLoop_data() {
    QTest::addColumn<bool>("desc_act");
    QTest::newRow("in order") << false;
    QTest::newRow("act-order") << true;
  }
  void gptqMatchesTheTextbookColumnLoop() {
    QFETCH(bool, desc_act);
    at::manual_seed(4);
    const int64_t n = 96, k = 384, group = 128;
    const at::Tensor w = at::randn({n, k}), x = correlated_inputs(2048, k);
    const at::Tensor h = 2 * x.t().mm(x) / x.size(0);
    const QuantScheme s = scheme(QuantMethod::gptq, 4, group, desc_act);
    const c10::Device device(test::test_device());
    const QuantizedWeight ours = quantize_gptq(w.to(device), h.to(device), s);

    at::Tensor order = at::arange(k);
    if (desc_act) order = std::get<1>(at::sort(h.diagonal(), true, 0, true));
    at::Tensor v = w.to(at::kDouble).index_select(1, order), hd = h.to(at::kDouble).index_select(0, order);
    hd = hd.index_select(1, order);
    hd.diagonal().add_(s.damp_percent * hd.diagonal().mean());
    const at::Tensor u = at::linalg_cholesky(at::cholesky_inverse(at::linalg_cholesky(hd))).t();  // upper
    at::Tensor codes = at::empty({n, k}, at::kDouble);
    QuantGrid grid;
    for (int64_t i = 0; i < k; ++i) {
      if (i % group == 0) {  // the grid of the group from its columns as they stand now, float32 as stored
        grid = gptq_grid(v.slice(1, i, i + group).to(at::kFloat), 4, s.sym);
        grid = {grid.scale.to(at::kDouble), grid.zero.to(at::kDouble)};
      }
      const at::Tensor col = v.select(1, i);
      const at::Tensor code = at::clamp((col / grid.scale).round() + grid.zero, 0, 15);
      codes.select(1, i).copy_(code);
      const at::Tensor err = (col - grid.scale * (code - grid.zero)) / u[i][i];
      v.slice(1, i + 1).sub_(err.unsqueeze(1) * u[i].slice(0, i + 1).unsqueeze(0));
    }
    codes = codes.index_select(1, at::argsort(order));
    // A tie decided the other way moves that row's later codes too (rows are independent): count rows.
    const at::Tensor differ = ours.codes.to(at::kDouble) != codes;
    const int64_t rows = differ.any(1).sum().item<int64_t>();
    qInfo("rows with a code unlike the textbook loop's: %lld of %lld; codes: %lld (%s)", (long long)rows,
          (long long)n, (long long)differ.sum().item<int64_t>(), test::test_device().c_str());
    QVERIFY2(rows <= 2, "GPTQ's codes should be the textbook loop's but for rounding ties");
    QVERIFY(at::equal(
        ours.g_idx,
        at::empty_like(ours.g_idx).index_put_({order}, at::arange(k).floor_divide(group).to(at::kInt))));
  }

  void actOrderGroupsFollowTheHessianDiagonal() {
    at::manual_seed(3);
    const at::Tensor w = at::randn({32, 64}), x = correlated_inputs(256, 64) * at::linspace(0.1, 3, 64);
    const at::Tensor h = 2 * x.t().mm(x) / x.size(0);
    const QuantizedWeight q = quantize_gptq(w, h, scheme(QuantMethod::gptq, 4, 32, true));
    // The 32 columns with the largest H diagonal form group 0.
    const at::Tensor first = std::get<1>(h.diagonal().topk(32));
    QVERIFY(at::all(q.g_idx.index_select(0, first) == 0).item<bool>());
    QVERIFY(at::equal(at::bincount(q.g_idx.to(at::kLong)).to(at::kInt), at::tensor({32, 32}, at::kInt)));
    // Dequantization reads each column's own group.
    const int64_t k = 5, g = q.g_idx[k].item<int>();
    const at::Tensor column = q.scales[g].to(at::kFloat) * (q.codes.select(1, k) - q.zeros[g]).to(at::kFloat);
    QVERIFY(at::equal(q.dequantize().select(1, k), column.to(at::kHalf)));
  }

  // The 4-bit layout the GPU kernel reads (model/linear_weight.h), against hand-computed words, and holding
  // any grouping GPTQ writes — act-order's shuffled columns, K not a multiple of its 64-column slices.
  void int4LayoutMatchesHandComputedWords() {
    QuantizedWeight q;
    q.bits = 4;
    q.codes = at::zeros({32, 80}, at::kByte);  // 2 tiles of 16 rows, 2 slices (80 columns padded to 128)
    // Tile 0, slice 0, step 0, lane 0: row 0's columns 0, 1 in bits 0…3, 16…19 and 8, 9 in bits 8…11,
    // 24…27; row N/2 = 16 (the tile's row 8) 4 bits above.
    q.codes[0][0] = 1, q.codes[0][1] = 2, q.codes[0][8] = 3, q.codes[0][9] = 4, q.codes[16][0] = 5;
    q.codes[3][35] = 6;  // tile 0, step 2, lane 3·4 + 1 (quad 1: column 34 + 1): word 13·4 + 2, bits 16…19
    q.codes[9][70] = 7;  // tile 1 (row 8 + 1), slice 1, step 0, lane 1·4 + 3: word 128 + 7·4, bits 0…3
    q.codes[31][79] =
        9;  // tile 1, row 16 + 8 + 7, slice 1, column 64 + 8 + 2·3 + 1: word 128 + 31·4, bits 28…
    q.scales = at::full({5, 32}, 0.5, at::kHalf);  // groups of 16
    q.zeros = at::full({5, 32}, 3, at::kInt);
    q.zeros[2][17] = 7;  // row 17: tile 0, its row 8 + 1
    q.g_idx = at::arange(80, at::kInt).floor_divide(16);
    const auto w = Int4Weight::from(q);
    QVERIFY(w.has_value());
    QCOMPARE(w->words.sizes().vec(), (std::vector<int64_t>{2, 2 * 128}));
    QVERIFY(!w->input_order.defined());
    QCOMPARE(uint32_t(w->words[0][0].item<int32_t>()), 0x04020351u);
    QCOMPARE(uint32_t(w->words[0][54].item<int32_t>()), 0x00060000u);
    QCOMPARE(uint32_t(w->words[1][156].item<int32_t>()), 0x00000007u);
    QCOMPARE(uint32_t(w->words[1][252].item<int32_t>()), 0x90000000u);
    QCOMPARE(w->words.ne(0).sum().item<int64_t>(), int64_t(4));
    QCOMPARE(w->scale_zero.sizes().vec(), (std::vector<int64_t>{2, 5, 16}));
    QCOMPARE(uint32_t(w->scale_zero[0][2][9].item<int32_t>()), 0x64073800u);  // float16 1031 | float16 0.5
    QCOMPARE(uint32_t(w->scale_zero[1][4][0].item<int32_t>()), 0x64033800u);  // float16 1027 | float16 0.5
    QCOMPARE(w->out_features(), int64_t(32));
  }
  void int4LayoutHoldsAnyGptqGrouping_data() {
    QTest::addColumn<int>("group");
    QTest::addColumn<bool>("desc_act");
    QTest::newRow("group 32, act-order") << 32 << true;
    QTest::newRow("group 128") << 128 << false;
    QTest::newRow("one group per row, act-order") << -1 << true;
  }
  void int4LayoutHoldsAnyGptqGrouping() {
    QFETCH(int, group);
    QFETCH(bool, desc_act);
    at::manual_seed(5);
    const int64_t k = 1280;
    const at::Tensor w = at::randn({48, k}), x = correlated_inputs(64, k);
    const QuantizedWeight q =
        quantize_gptq(w, 2 * x.t().mm(x) / 64, scheme(QuantMethod::gptq, 4, group, desc_act));
    const auto layout = Int4Weight::from(q);
    QVERIFY(layout.has_value());
    QCOMPARE(layout->input_order.defined(), desc_act && group > 0);  // one group: any order will do
    QCOMPARE(layout->stored_columns.defined(), layout->input_order.defined());
    if (layout->input_order.defined())  // the stored column of each input column: input_order's inverse
      QVERIFY(
          at::equal(layout->input_order.to(at::kLong).index_select(0, layout->stored_columns.to(at::kLong)),
                    at::arange(k, at::kLong)));
    const QuantizedWeight back = layout->unpack();
    QVERIFY(at::equal(back.codes, q.codes));
    QVERIFY(at::equal(back.scales, q.scales));
    QVERIFY(at::equal(back.zeros, q.zeros));
    QVERIFY(at::equal(back.g_idx, q.g_idx));
    // As the model holds it on the test device (on a GPU, one dequantization kernel): exactly the loaders'
    // float16 products, in each dtype.
    const Int4Weight held = layout->to(c10::Device(test::test_device()));
    for (const auto dtype : {at::kHalf, at::kBFloat16, at::kFloat}) {
      const LinearWeight linear{.int4 = held, .dtype = dtype};
      const at::Tensor held_matrix = linear.matrix().cpu(), loaders = q.dequantize().to(dtype);
      QVERIFY2(
          at::equal(held_matrix, loaders),
          (std::string(c10::toString(dtype)) + ": " +
           std::to_string(held_matrix.ne(loaders).sum().item<int64_t>()) + " of " +
           std::to_string(loaders.numel()) + " weights differ, by up to " +
           std::to_string((held_matrix.to(at::kFloat) - loaders.to(at::kFloat)).abs().max().item<double>()))
              .c_str());
      // The layer's product: the product with the dense matrix, up to the order of the sums. (ATen's CPU
      // build multiplies float only.)
      if (!held.words.is_cuda() && dtype != at::kFloat) continue;
      const at::Tensor input = at::randn({3, k}).to(held.words.device(), dtype);
      const at::Tensor want = at::linear(input.to(at::kFloat), q.dequantize().to(input.device(), at::kFloat));
      const double deviation =
          (llmdrop::linear(input, linear).to(at::kFloat) - want).abs().max().item<double>() /
          want.abs().max().item<double>();
      QVERIFY2(deviation < (dtype == at::kFloat ? 1e-5 : 1e-2), std::to_string(deviation).c_str());
    }
    // What it cannot hold: other widths, rows not in tiles of 16, and groups that are not runs of a multiple
    // of 16 columns.
    QuantizedWeight three = q;
    three.bits = 3;
    QVERIFY(!Int4Weight::from(three));
    QuantizedWeight ragged = q;
    ragged.codes = q.codes.narrow(0, 0, 40);
    ragged.scales = q.scales.narrow(1, 0, 40);
    ragged.zeros = q.zeros.narrow(1, 0, 40);
    QVERIFY(!Int4Weight::from(ragged));
    QuantizedWeight uneven = q;
    uneven.g_idx = (at::arange(k, at::kInt) * 7).floor_divide(k).clamp_max(q.scales.size(0) - 1);
    if (q.scales.size(0) > 1) QVERIFY(!Int4Weight::from(uneven));
  }

  // A vector in the order of the B fragments (the norm weight that the fused decode step keeps there): slice
  // s holds items 16s + 4q + j, each the stored columns c, c + 1, c + 8, c + 9 for c = 64s + 16j + 2q, zero
  // past K; stored column c is input column input_order[c].
  void int4FragmentOrderFollowsTheStoredColumns_data() {
    QTest::addColumn<bool>("act_order");
    QTest::newRow("in order") << false;
    QTest::newRow("act-order") << true;
  }
  void int4FragmentOrderFollowsTheStoredColumns() {
    QFETCH(bool, act_order);
    at::manual_seed(3);
    const int64_t n = 16, k = 80, group = 16, padded_k = 128;  // the second slice half padding
    QuantizedWeight q;
    q.codes = at::randint(0, 16, {n, k}, at::kByte);
    q.scales = at::ones({k / group, n}, at::kHalf);
    q.zeros = at::zeros({k / group, n}, at::kInt);
    const at::Tensor groups = at::arange(k, at::kInt).floor_divide(group);
    q.g_idx = act_order ? at::empty({k}, at::kInt).index_put_({at::randperm(k)}, groups) : groups;
    const auto layout = Int4Weight::from(q);
    QVERIFY(layout.has_value());
    QCOMPARE(layout->input_order.defined(), act_order);
    const at::Tensor v = at::arange(1, k + 1, at::kFloat);  // input column i holds i + 1; padding 0
    const at::Tensor got = layout->in_fragment_order(v);
    QCOMPARE(got.sizes().vec(), std::vector<int64_t>{padded_k});
    const at::Tensor order = act_order ? layout->input_order.to(at::kLong) : at::arange(k, at::kLong);
    for (int64_t s = 0; s < padded_k / 64; ++s)
      for (int64_t q4 = 0; q4 < 4; ++q4)
        for (int64_t j = 0; j < 4; ++j) {
          const int64_t c = 64 * s + 16 * j + 2 * q4, item = 16 * s + 4 * q4 + j;
          const int64_t columns[4] = {c, c + 1, c + 8, c + 9};
          for (int e = 0; e < 4; ++e) {
            const float want = columns[e] < k ? float(order[columns[e]].item<int64_t>() + 1) : 0.0f;
            QCOMPARE(got[4 * item + e].item<float>(), want);
          }
        }
    // Attached as a norm, it moves with the layout.
    Int4Weight attached = *layout;
    attached.attach_norm(v);
    QVERIFY(at::equal(attached.to(c10::Device(test::test_device())).norm_fragments.cpu(), got));
  }

  // An act-order weight as wide as a large model's down projection (on a GPU, its two-row staging takes more
  // than the default 48 KiB of shared memory): exactly the loaders' float16 products, in input column order.
  void wideActOrderInt4WeightDequantizesExactly() {
    at::manual_seed(11);
    const int64_t n = 32, k = 16384, group = 128;
    QuantizedWeight q;
    q.codes = at::randint(0, 16, {n, k}, at::kByte);
    q.scales = (at::rand({k / group, n}) * 0.01 + 0.001).to(at::kHalf);
    q.zeros = at::randint(0, 16, {k / group, n}, at::kInt);
    q.g_idx =
        at::empty({k}, at::kInt).index_put_({at::randperm(k)}, at::arange(k, at::kInt).floor_divide(group));
    const auto layout = Int4Weight::from(q);
    QVERIFY(layout.has_value() && layout->input_order.defined());
    const LinearWeight linear{.int4 = layout->to(c10::Device(test::test_device())), .dtype = at::kBFloat16};
    QVERIFY(at::equal(linear.matrix().cpu(), q.dequantize().to(at::kBFloat16)));
  }

  void packedLinearsReadBackUnchanged_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<int>("bits");
    QTest::addColumn<bool>("desc_act");
    QTest::newRow("gptq 4 bits act-order") << "gptq" << 4 << true;
    QTest::newRow("gptq 3 bits") << "gptq" << 3 << false;
    QTest::newRow("gptq 8 bits") << "gptq" << 8 << false;
    QTest::newRow("awq 4 bits") << "awq" << 4 << false;
  }
  void packedLinearsReadBackUnchanged() {
    QFETCH(QString, method);
    QFETCH(int, bits);
    QFETCH(bool, desc_act);
    at::manual_seed(4);
    const QuantScheme s = scheme(parse_quant_method(method.toStdString()), bits, 32, desc_act);
    const at::Tensor w = at::randn({64, 96}), x = correlated_inputs(256, 96);
    const QuantizedWeight q =
        s.method == QuantMethod::awq ? quantize_rtn(w, s) : quantize_gptq(w, 2 * x.t().mm(x) / 256, s);
    // Through a safetensors file, as a checkpoint holds them.
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString();
    std::map<std::string, at::Tensor> packed = pack_linear(q, s, "layer");
    nlohmann::json header = nlohmann::json::object();
    std::string data;
    for (const auto& [name, t] : packed) {
      const at::Tensor c = t.contiguous();
      header[name] = {{"dtype", c.scalar_type() == at::kInt ? "I32" : "F16"},
                      {"shape", c.sizes().vec()},
                      {"data_offsets", {data.size(), data.size() + c.nbytes()}}};
      data.append(static_cast<const char*>(c.data_ptr()), c.nbytes());
    }
    const std::string text = header.dump();
    std::string file(8, '\0');
    const uint64_t n = text.size();
    std::memcpy(file.data(), &n, 8);
    test::write_file(dir / "model.safetensors", file + text + data);
    const auto store = TensorStore::open(dir);
    const QuantizedWeight back = unpack_linear(*store, "layer", s, 64, 96);
    QVERIFY(at::equal(back.codes, q.codes));
    QVERIFY(at::equal(back.zeros, q.zeros));
    QVERIFY(at::equal(back.scales, q.scales));
    QVERIFY(at::equal(back.g_idx, q.g_idx));
    QVERIFY(at::equal(back.dequantize(), q.dequantize()));
    EXPECT_ERROR(BadInput, unpack_linear(*store, "layer", s, 64, 128), "wrong shape");
    EXPECT_ERROR(BadInput, unpack_linear(*store, "other", s, 64, 96), "missing");
  }

  void quantizedCheckpointsLoadAndRun_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<int>("bits");
    QTest::addColumn<bool>("desc_act");
    QTest::newRow("rtn 8 bits") << "rtn" << 8 << false;
    QTest::newRow("gptq 4 bits act-order") << "gptq" << 4 << true;
    QTest::newRow("awq 4 bits") << "awq" << 4 << false;
  }
  void quantizedCheckpointsLoadAndRun() {
    QFETCH(QString, method);
    QFETCH(int, bits);
    QFETCH(bool, desc_act);
    QTemporaryDir tmp;
    const fs::path source = test::model_dir("llama"), out = fs::path(tmp.path().toStdString()) / "q";
    const std::string before = test::tree_digest(source);
    QuantizeRequest r = request(scheme(parse_quant_method(method.toStdString()), bits, 32, desc_act));
    r.drops = DropPlan{{1}, {4}};
    const Checkpoint original = Checkpoint::open(source);
    const QuantizeResult result = quantize_checkpoint(original, r, out, {{"test", true}});
    QCOMPARE(test::tree_digest(source), before);
    QCOMPARE(result.linears, int64_t(6 * 7 - 4 - 3));
    const Checkpoint quantized = Checkpoint::open(out);
    QVERIFY(quantized.config.quantization.has_value());
    QCOMPARE(quantized.config.drops.attn, std::set<int64_t>{1});
    QCOMPARE(quantized.config.drops.mlp, std::set<int64_t>{4});
    QVERIFY(!quantized.tensors->contains("model.layers.0.self_attn.q_proj.weight"));
    QVERIFY(quantized.tensors->contains("model.layers.0.self_attn.q_proj.qweight"));
    QVERIFY(!quantized.tensors->contains("model.layers.1.self_attn.q_proj.qweight"));  // dropped
    QCOMPARE(quantized.tensors->info("model.layers.0.self_attn.q_proj.scales").dtype, StorageDType::F16);
    // The summary counts the weights a packed linear stands for, not its int32 words.
    const ModelSummary plain = summarize(original, r.drops, "float32"),
                       packed = summarize(quantized, r.drops, "float32");
    QCOMPARE(packed.active_parameters, plain.active_parameters);
    QCOMPARE(packed.stored_dtype, std::string(method == "awq"   ? "F16 + AWQ 4-bit, group 32"
                                              : method == "rtn" ? "F16 + GPTQ 8-bit, group 32"
                                                                : "F16 + GPTQ 4-bit, group 32, act-order"));
    QVERIFY(packed.parameters < plain.parameters);  // the dropped modules' weights are not in the file

    LoadOptions options;
    options.device = test::test_device();
    options.dtype = "float32";
    const auto loaded = Model::load(quantized, options);
    options.drops = r.drops;  // the original with the same drops
    const auto full = Model::load(original, options);
    QCOMPARE(loaded->drops().attn, std::set<int64_t>{1});
    // Each linear is its stored codes dequantized; and the model stays close to the original.
    const QuantizedWeight q0 = unpack_linear(*quantized.tensors, "model.layers.0.self_attn.o_proj",
                                             *quantized.config.quantization, 64, 64);
    const LinearWeight& o = loaded->layers()[0].attn->o;
    QCOMPARE(o.packed.has_value(), test::test_device() == "cpu");  // on the CPU: one byte per weight, packed
    QVERIFY(at::equal(o.matrix().cpu(), q0.dequantize().to(at::kFloat)));
    QCOMPARE(loaded->resident_parameters(), full->resident_parameters());
    // Against 4-bit round-to-nearest of the same model: 8 bits far closer, GPTQ and AWQ closer.
    const fs::path rtn_dir = fs::path(tmp.path().toStdString()) / "rtn4";
    QuantizeRequest rtn = request(scheme(QuantMethod::rtn, 4, 32));
    rtn.drops = r.drops;
    quantize_checkpoint(original, rtn, rtn_dir, {});
    const double distance = logprob_distance(*full, *loaded),
                 rtn_distance = logprob_distance(*full, *Model::load(Checkpoint::open(rtn_dir), options));
    qInfo("%s %d bits: mean |Δ log p(next)| against the original %.5f; 4-bit round-to-nearest %.5f",
          qPrintable(method), bits, distance, rtn_distance);
    QVERIFY(distance > 0);
    QVERIFY(distance < (bits == 8 ? 0.25 : 1.0) * rtn_distance);
  }

  // Per-module precision as GPTQModel's `dynamic` rules: our choices become rules that do not overlap, and
  // rules as GPTQModel writes them (first match decides, "-:" leaves a module unquantized) apply as vLLM
  // applies them.
  void perModuleRulesAreGptqModelsDynamic() {
    const ModelConfig c = Checkpoint::open(test::model_dir("llama")).config;  // 6 layers
    const QuantScheme base = scheme(QuantMethod::rtn, 4, 32);
    const std::vector<QuantRule> rules = module_rules(c, base,
                                                      {{.selection = "attn", .bits = 8},
                                                       {.selection = "layers.0.mlp", .skip = true},
                                                       {.selection = "layers.4-5.mlp", .group_size = 64},
                                                       {.selection = "lm_head", .skip = true}});
    const std::vector<QuantRule> expected = {
        {.pattern = "model\\.layers\\.\\d+\\.self_attn\\.", .bits = 8},
        {.pattern = "model\\.layers\\.(?:4|5)\\.mlp\\.", .group_size = 64},
        {.pattern = "model\\.layers\\.(?:0)\\.mlp\\.", .skip = true}};
    QCOMPARE(rules, expected);
    QuantScheme mixed = base;
    mixed.dynamic = rules;
    QCOMPARE(mixed.for_module("model.layers.3.self_attn.q_proj")->bits, 8);
    QCOMPARE(mixed.for_module("model.layers.3.self_attn.q_proj")->group_size, int64_t(32));
    QVERIFY(!mixed.for_module("model.layers.0.mlp.down_proj"));
    QCOMPARE(mixed.for_module("model.layers.5.mlp.gate_proj")->group_size, int64_t(64));
    QCOMPARE(mixed.for_module("model.layers.5.mlp.gate_proj")->bits, 4);
    QCOMPARE(mixed.for_module("model.layers.45.mlp.up_proj")->group_size, int64_t(32));  // not layer 4 or 5
    QVERIFY(mixed.for_module("model.layers.1.mlp.up_proj")->dynamic.empty());
    // Written and read back as quantization_config.dynamic.
    const QuantScheme back = parse_quantization_config(quantization_config_json(mixed), "config.json");
    QCOMPARE(back.dynamic.size(), size_t(3));
    for (const std::string name : {"model.layers.0.mlp.down_proj", "model.layers.2.self_attn.o_proj",
                                   "model.layers.4.mlp.up_proj", "model.layers.2.mlp.up_proj"}) {
      QCOMPARE(back.for_module(name).has_value(), mixed.for_module(name).has_value());
      if (back.for_module(name))
        QCOMPARE(back.for_module(name)->bits * 1000 + back.for_module(name)->group_size,
                 mixed.for_module(name)->bits * 1000 + mixed.for_module(name)->group_size);
    }
    // A config as GPTQModel writes one (its TinyLlama example), in the file's order: layers 2 and up left
    // unquantized, layer 1 in 8 bits, group 32.
    const auto tinyllama = nlohmann::ordered_json::parse(
        "{\n"
        "        \"-:model\\\\.layers\\\\.([2-9]\\\\d*|[1-9]\\\\d+)\\\\..*\": {},\n"
        "        \".*\\\\.1\\\\..*\": {\"bits\": 8, \"group_size\": 32, \"desc_act\": false}}");
    QuantScheme theirs = scheme(QuantMethod::gptq, 4, 128, true);
    theirs.dynamic = parse_quant_rules(tinyllama, "dynamic");
    QCOMPARE(theirs.for_module("model.layers.1.self_attn.q_proj")->bits, 8);
    QCOMPARE(theirs.for_module("model.layers.1.self_attn.q_proj")->desc_act, false);
    QCOMPARE(theirs.for_module("model.layers.0.mlp.down_proj")->bits, 4);
    QCOMPARE(theirs.for_module("model.layers.0.mlp.down_proj")->desc_act, true);
    QVERIFY(!theirs.for_module("model.layers.2.mlp.down_proj"));
    QVERIFY(!theirs.for_module("model.layers.12.mlp.down_proj"));
    // The first match decides, whatever comes after it.
    QuantScheme ordered = base;
    ordered.dynamic = parse_quant_rules(
        nlohmann::ordered_json::parse("{\"+:.*\": {\"bits\": 8}, \"-:model\\\\.layers\\\\.0\\\\.\": {}}"),
        "dynamic");
    QCOMPARE(ordered.for_module("model.layers.0.mlp.down_proj")->bits, 8);
    // What cannot be: a selection of nothing, a layer past the model, bits for lm_head, bad patterns.
    EXPECT_ERROR(BadInput, module_rules(c, base, {{.selection = "heads", .bits = 8}}), "selects nothing");
    EXPECT_ERROR(BadInput, module_rules(c, base, {{.selection = "layers.6.mlp", .bits = 8}}),
                 "layers are 0 to 5");
    EXPECT_ERROR(BadInput, module_rules(c, base, {{.selection = "lm_head", .bits = 8}}),
                 "lm_head stays 16-bit");
    EXPECT_ERROR(BadInput, module_rules(c, base, {{.selection = "mlp", .bits = 5}}), "2, 3, 4 or 8 bits");
    EXPECT_ERROR(BadInput, parse_quant_rules(nlohmann::json::parse("{\"+:(\": {}}"), "dynamic"),
                 "invalid regular expression");
  }

  // Attention in 8 bits, the MLPs in 4, layer 0's MLP left in 16: each linear loads as its own rule says, and
  // the summary counts every weight once.
  void mixedPrecisionCheckpointsRoundTrip() {
    QTemporaryDir tmp;
    const fs::path out = fs::path(tmp.path().toStdString()) / "mixed";
    const Checkpoint original = Checkpoint::open(test::model_dir("llama"));
    QuantizeRequest r = request(scheme(QuantMethod::rtn, 4, 32));
    r.scheme.dynamic =
        module_rules(original.config, r.scheme,
                     {{.selection = "attn", .bits = 8}, {.selection = "layers.0.mlp", .skip = true}});
    quantize_checkpoint(original, r, out, {});
    const Checkpoint mixed = Checkpoint::open(out);
    QCOMPARE(mixed.config.quantization->dynamic, r.scheme.dynamic);
    QVERIFY(mixed.tensors->contains("model.layers.0.mlp.down_proj.weight"));
    QVERIFY(!mixed.tensors->contains("model.layers.0.mlp.down_proj.qweight"));
    QVERIFY(mixed.tensors->contains("model.layers.1.mlp.down_proj.qweight"));
    QCOMPARE(mixed.tensors->info("model.layers.2.self_attn.o_proj.qweight").shape,
             (std::vector<int64_t>{64 * 8 / 32, 64}));  // 8 bits: 4 codes per int32
    QCOMPARE(mixed.tensors->info("model.layers.2.mlp.down_proj.qweight").shape,
             (std::vector<int64_t>{128 * 4 / 32, 64}));
    LoadOptions options;
    options.device = test::test_device();
    options.dtype = "float32";
    const auto loaded = Model::load(mixed, options), full = Model::load(original, options);
    auto expected = [](const at::Tensor& w, int bits) {
      return quantize_rtn(w.cpu(), scheme(QuantMethod::rtn, bits, 32)).dequantize().to(at::kFloat);
    };
    for (int64_t i : {0, 3}) {
      const DecoderLayer &got = loaded->layers()[static_cast<size_t>(i)],
                         &want = full->layers()[static_cast<size_t>(i)];
      QVERIFY(at::equal(got.attn->qkv.matrix().cpu(), expected(want.attn->qkv.matrix(), 8)));
      QVERIFY(at::equal(got.attn->o.matrix().cpu(), expected(want.attn->o.matrix(), 8)));
      const at::Tensor down = want.mlp->down.matrix().cpu();
      QVERIFY(at::equal(got.mlp->down.matrix().cpu(),
                        i == 0 ? down.to(at::kHalf).to(at::kFloat) : expected(down, 4)));
    }
    const ModelSummary plain = summarize(original, {}, "float32"), packed = summarize(mixed, {}, "float32");
    QCOMPARE(packed.active_parameters, plain.active_parameters);
    QCOMPARE(packed.stored_dtype, std::string("F16 + GPTQ 4-bit, group 32, 2 per-module rules"));
  }

  void layerByLayerForwardIsTheModelsForward() {
    // What quantization walks: embed, then each layer alone on the previous one's output.
    LoadOptions options;
    options.device = test::test_device();
    options.dtype = "float32";
    options.drops = DropPlan{{2}, {3}};
    const auto model = Model::load(Checkpoint::open(test::model_dir("llama")), options);
    const at::Tensor ids = at::randint(3, 300, {2, 24}, at::kLong);
    struct Last : HiddenStateObserver {
      at::Tensor output;
      void on_layer(const LayerTrace& t) override { output = t.output; }
    } last;
    model->forward(ids, nullptr, &last);
    at::Tensor h = model->embed(ids);
    for (int64_t i = 0; i < model->config().num_layers; ++i) h = model->layer_forward(i, h);
    QVERIFY(at::allclose(h, last.output, 1e-5, 1e-5));
  }

  void badRequestsAreRefusedAndCancellationLeavesNothing() {
    QTemporaryDir tmp;
    const fs::path parent = tmp.path().toStdString(), out = parent / "q";
    const Checkpoint original = Checkpoint::open(test::model_dir("llama"));
    EXPECT_ERROR(BadInput, quantize_checkpoint(original, request(scheme(QuantMethod::awq, 3, 32)), out, {}),
                 "4 bits");
    EXPECT_ERROR(BadInput, quantize_checkpoint(original, request(scheme(QuantMethod::gptq, 4, 128)), out, {}),
                 "group size must divide");
    QuantizeRequest missing = request(scheme(QuantMethod::gptq, 4, 32));
    missing.data = parent / "nothing.jsonl";
    EXPECT_ERROR(BadInput, quantize_checkpoint(original, missing, out, {}), "nothing.jsonl");
    QVERIFY(fs::is_empty(parent));

    JobContext job;
    int64_t reports = 0;
    JobContext reporting(job, [&](const Progress& p) {
      if (p.message.rfind("quantizing layer 2", 0) == 0 && ++reports == 1) job.cancel();
    });
    EXPECT_ERROR(Cancelled,
                 quantize_checkpoint(original, request(scheme(QuantMethod::gptq, 4, 32)), out, {}, reporting),
                 "cancelled");
    QVERIFY(fs::is_empty(parent));

    quantize_checkpoint(original, request(scheme(QuantMethod::rtn, 4, 32)), out, {});
    EXPECT_ERROR(BadInput,
                 quantize_checkpoint(Checkpoint::open(out), request(scheme(QuantMethod::rtn, 4, 32)),
                                     parent / "again", {}),
                 "already quantized");
  }
};

QTEST_APPLESS_MAIN(QuantTest)
#include "tst_quant.moc"
