// The engine against transformers: log-probabilities and greedy continuations recorded by
// tools/make_fixtures.py (fp32 eager attention, TF32 off; a dropped module's output replaced by zeros),
// plus the engine's own invariants (KV cache, runtime drop toggles, dropped modules own nothing).
#include <ATen/ATen.h>

#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <set>

#include "checkpoint/checkpoint.h"
#include "model/decode_graph.h"
#include "model/generation.h"
#include "model/kv_cache.h"
#include "model/memory_plan.h"
#include "model/model.h"
#include "model/shapes.h"
#include "quant/quantize_checkpoint.h"
#include "support/test_support.h"

using namespace llmdrop;

namespace {
const char* kModels[] = {"llama", "llama3", "mistral", "qwen2", "llama-bf16"};

std::set<int64_t> to_set(const nlohmann::json& j) {
  return {j.begin(), j.end()};
}

std::unique_ptr<Model> load(const std::string& name, const std::string& dtype, const DropPlan& drops) {
  LoadOptions options;
  options.device = test::test_device();
  options.dtype = dtype;
  options.drops = drops;
  return Model::load(Checkpoint::open(test::model_dir(name)), options);
}

// The test llama quantized to 4 bits in groups of 32 (GPTQ with act-order, or AWQ), once per method.
std::filesystem::path quantized_llama(const std::string& method) {
  static QTemporaryDir dir;
  const std::filesystem::path out = std::filesystem::path(dir.path().toStdString()) / method;
  if (std::filesystem::exists(out)) return out;
  QuantizeRequest r;
  r.scheme.method = parse_quant_method(method);
  r.scheme.bits = 4;
  r.scheme.group_size = 32;
  r.scheme.desc_act = r.scheme.method == QuantMethod::gptq;
  r.data = test::data_dir() / "calibration" / "calib.jsonl";
  r.samples = 4;
  r.seq_len = 64;
  r.device = test::test_device();
  r.dtype = "float32";
  quantize_checkpoint(Checkpoint::open(test::model_dir("llama")), r, out, {});
  return out;
}

// Every linear of `low` replaced by random 4-bit codes in groups of `group` columns over shuffled columns (as
// act-order leaves them; 0: one group per row, so the columns stay in order), and the same linear of
// `reference` by those codes dequantized.
void use_random_four_bit_layers(Model& reference, Model& low, int64_t group) {
  auto replace = [&](LinearWeight& exact, LinearWeight& packed) {
    const int64_t n = packed.dense.size(0), k = packed.dense.size(1), width = group > 0 ? group : k,
                  groups = k / width;
    QuantizedWeight q;
    q.codes = at::randint(0, 16, {n, k}, at::kByte);
    q.scales = (at::rand({groups, n}) * 0.004 + 0.001).to(at::kHalf);
    q.zeros = at::randint(0, 16, {groups, n}, at::kInt);
    q.g_idx =
        at::empty({k}, at::kInt).index_put_({at::randperm(k)}, at::arange(k, at::kInt).floor_divide(width));
    exact.dense = q.dequantize().to(exact.dense.options());
    const auto int4 = Int4Weight::from(q);
    QVERIFY(int4.has_value());
    packed = {.int4 = int4->to(low.device()), .dtype = packed.dtype};
  };
  // Norm weights other than 1 (0.5 to 1.5, rounded to the low model's dtype), which the 4-bit product after
  // each norm keeps in its own column order as loading does: a norm weight out of order shows.
  auto norm = [&](at::Tensor& exact, at::Tensor& low_norm, LinearWeight& packed) {
    low_norm = (at::rand({low_norm.size(0)}) + 0.5).to(low_norm.options());
    exact = low_norm.to(exact.options());
    packed.int4->attach_norm(low_norm);
  };
  for (int64_t i = 0; i < low.config().num_layers; ++i) {
    DecoderLayer &exact = reference.mutable_layer(i), &packed = low.mutable_layer(i);
    replace(exact.attn->qkv, packed.attn->qkv);
    replace(exact.attn->o, packed.attn->o);
    replace(exact.mlp->gate_up, packed.mlp->gate_up);
    replace(exact.mlp->down, packed.mlp->down);
    if (QTest::currentTestFailed()) return;  // a layout refused: no 4-bit weight to attach a norm to
    norm(exact.attn->pre_norm, packed.attn->pre_norm, packed.attn->qkv);
    norm(exact.mlp->pre_norm, packed.mlp->pre_norm, packed.mlp->gate_up);
  }
}

double max_abs_diff(const std::vector<double>& a, const nlohmann::json& b) {
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i].get<double>()));
  return worst;
}

// Records (layer, attention present, MLP present) and checks the residual identities on the way.
struct TraceRecorder : HiddenStateObserver {
  std::vector<std::tuple<int64_t, bool, bool>> seen;
  double worst_residual_error = 0;
  void on_layer(const LayerTrace& t) override {
    seen.emplace_back(t.layer, t.attn_output.defined(), t.mlp_output.defined());
    const at::Tensor mid = t.attn_output.defined() ? t.input + t.attn_output : t.input;
    const at::Tensor out = t.mlp_output.defined() ? t.mid + t.mlp_output : t.mid;
    worst_residual_error = std::max({worst_residual_error, (mid - t.mid).abs().max().item<double>(),
                                     (out - t.output).abs().max().item<double>()});
  }
};
}  // namespace

class EngineTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { qInfo("engine tests run on device '%s'", test::test_device().c_str()); }

  void matchesTransformers_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("index");
    for (const char* name : kModels) {
      const auto ref = test::read_json(test::data_dir() / "reference" / (std::string(name) + ".json"));
      for (size_t i = 0; i < ref["cases"].size(); ++i) {
        const auto& c = ref["cases"][i];
        const std::string row = std::string(name) + " " + c["dtype"].get<std::string>() + " attn" +
                                c["drop_attn"].dump() + " mlp" + c["drop_mlp"].dump();
        QTest::newRow(row.c_str()) << QString(name) << int(i);
      }
    }
  }
  void matchesTransformers() {
    QFETCH(QString, model);
    QFETCH(int, index);
    const auto ref = test::read_json(test::data_dir() / "reference" / (model.toStdString() + ".json"));
    const auto& c = ref["cases"][index];
    const std::string dtype = c["dtype"];
    const auto m = load(model.toStdString(), dtype, DropPlan{to_set(c["drop_attn"]), to_set(c["drop_mlp"])});
    const auto ids = ref["ids"].get<std::vector<int64_t>>();
    const double diff = max_abs_diff(next_token_logprobs(*m, ids), c["logprobs"]);
    const double tolerance = dtype == "float32" ? 1e-4 : 2e-2;
    qInfo("max |Δ logprob| = %.3g (tolerance %.0e)", diff, tolerance);
    QVERIFY2(diff <= tolerance, QByteArray::number(diff));
    if (dtype == "float32") {  // greedy continuation of the first 8 ids, through the KV cache
      const std::vector<int64_t> prompt(ids.begin(), ids.begin() + 8);
      SamplingOptions greedy;
      greedy.max_new_tokens = 12;
      QCOMPARE(nlohmann::json(generate(*m, prompt, greedy)).dump(), c["greedy"].dump());
    }
  }

  void bfloat16IsAsAccurateAsTransformers() {
    // On the peaky llama fixture bf16 rounding dominates: compare both engines' bf16 runs with the fp32
    // truth.
    const auto ref = test::read_json(test::data_dir() / "reference" / "llama.json");
    const auto m = load("llama", "bfloat16", {});
    const double ours = max_abs_diff(next_token_logprobs(*m, ref["ids"].get<std::vector<int64_t>>()),
                                     ref["cases"][0]["logprobs"]);
    const double theirs = ref["bf16_transformers_error"].get<double>();
    qInfo("bf16 vs fp32: ours %.3g, transformers %.3g", ours, theirs);
    QVERIFY(ours <= 1.5 * theirs);
  }

  void demoModelMatchesTransformers() {
    // The bundled bf16 demo model, run in fp32, against transformers on a held-out paragraph
    // (tools/demo/train.py).
    const auto ref = test::read_json(test::data_dir() / "reference" / "demo.json");
    LoadOptions options;
    options.device = test::test_device();
    options.dtype = "float32";
    const auto m = Model::load(
        Checkpoint::open(test::data_dir() / ".." / ".." / "resources" / "models" / "demo"), options);
    QCOMPARE(m->config().num_layers, int64_t(12));
    const double diff =
        max_abs_diff(next_token_logprobs(*m, ref["ids"].get<std::vector<int64_t>>()), ref["logprobs"]);
    qInfo("demo: max |Δ logprob| = %.3g over %zu tokens", diff, ref["logprobs"].size());
    QVERIFY(diff <= 1e-4);
    SamplingOptions greedy;
    greedy.max_new_tokens = static_cast<int64_t>(ref["greedy"].size());
    greedy.stop_token = 2;
    QCOMPARE(nlohmann::json(generate(*m, ref["greedy_prompt"].get<std::vector<int64_t>>(), greedy)).dump(),
             ref["greedy"].dump());
  }

  void slidingWindowMatters() {
    // Guard against a fixture that would pass without the window: transformers' own numbers differ.
    const auto ref = test::read_json(test::data_dir() / "reference" / "mistral.json");
    QVERIFY(ref["max_diff_without_window"].get<double>() > 0.1);
    QVERIFY(ref["ids"].size() > 8 * 2);
  }

  void kvCacheDecodeEqualsFullForward() {
    const auto m = load("mistral", "float32", {});  // sliding window 8 < 40 tokens: exercises the cache mask
    const auto ids =
        test::read_json(test::data_dir() / "reference" / "mistral.json")["ids"].get<std::vector<int64_t>>();
    at::Tensor all = at::tensor(ids, at::kLong).unsqueeze(0);
    at::Tensor full = m->forward(all).to(at::kFloat).cpu();  // (1, T, V)
    KVCache cache = m->new_cache(1, all.size(1));
    at::Tensor prefix = m->forward(all.narrow(1, 0, 13), &cache).to(at::kFloat).cpu();
    double worst = (prefix - full.narrow(1, 0, 13)).abs().max().item<double>();
    for (int64_t t = 13; t < all.size(1); ++t) {
      at::Tensor step = m->forward(all.narrow(1, t, 1), &cache).to(at::kFloat).cpu();
      worst = std::max(worst, (step[0][0] - full[0][t]).abs().max().item<double>());
    }
    QVERIFY2(worst < 1e-4, QByteArray::number(worst));
    EXPECT_ERROR(Runtime, m->forward(all.narrow(1, 0, 1), &cache), "KV cache full");
  }

  void droppedModulesOwnNothing() {
    const auto m = load("llama", "float32", DropPlan{{1, 4}, {2}});
    QVERIFY(!m->layers()[1].attn && !m->layers()[4].attn && !m->layers()[2].mlp);
    QVERIFY(m->layers()[0].attn && m->layers()[2].attn && m->layers()[1].mlp);
    KVCache cache = m->new_cache(1, 16);
    QVERIFY(!cache.has_layer(1) && !cache.has_layer(4) && cache.has_layer(0));
    QCOMPARE(cache.bytes(),
             int64_t(4 * 2 * 2 * 16 * 16 * 4));  // 4 attention layers · K,V · kv heads · cap · dim · fp32
    QCOMPARE(m->kv_bytes_per_token(), int64_t(4 * 2 * 2 * 16 * 4));
    const auto full = load("llama", "float32", {});
    // Two attention branches (q, k, v, o and input norm) and one MLP branch (gate, up, down and its norm).
    QCOMPARE(full->resident_parameters() - m->resident_parameters(),
             int64_t(2 * (2 * 64 * 64 + 2 * 32 * 64 + 64) + 3 * 128 * 64 + 64));
  }

  // The weights a load needs, counted by hand for Llama-2-70B in bf16: 2 · 32000 · 8192 embedding and head
  // parameters and the final norm; per layer q, o 8192², k, v 1024 · 8192, gate, up, down 28672 · 8192 and
  // two norms. It is 138.0 GB, 4.5 GB streamed (the layer running and the next one arriving); the refusal
  // says which fits.
  void memoryPlanCountsTheWeights() {
    const ModelConfig c = shape_config("llama2-70b");
    const int64_t fixed = 2 * 32000 * 8192 + 8192,
                  layer = 2 * 8192 * 8192 + 2 * 1024 * 8192 + 3 * 28672 * 8192 + 2 * 8192;
    const MemoryPlan full = memory_plan(c, at::kBFloat16, {}, false);
    QCOMPARE(full.bytes(), 2 * (fixed + 80 * layer));
    QCOMPARE(memory_plan(c, at::kBFloat16, {}, true).bytes(), 2 * (fixed + 2 * layer));
    QCOMPARE(memory_plan(c, at::kBFloat16, {{0, 1}, {1}}, false).bytes(),
             full.bytes() - 2 * (2 * (2 * 8192 * 8192 + 2 * 1024 * 8192 + 8192) + 3 * 28672 * 8192 + 8192));
    const c10::Device gpu(c10::DeviceType::CUDA, 0);
    EXPECT_ERROR(BadInput, check_memory(full, gpu, int64_t(80e9)),
                 "the model needs 138.0 GB of weights on cuda:0, which has 80.0 GB free: use --stream-layers "
                 "(two layers at a time: 4.5 GB)");
    EXPECT_ERROR(BadInput, check_memory(full, gpu, int64_t(2e9)),
                 "which has 2.0 GB free: use a smaller dtype");
    // On a machine with two GPUs: the layers split over both fit too (0.5 GB of embeddings, head and norm
    // on each, and half the layers: 69.5 GB); with 40 GB free, four GPUs are the fewest that hold them.
    EXPECT_ERROR(
        BadInput, check_memory(full, gpu, int64_t(80e9), 2),
        "(two layers at a time: 4.5 GB) or --devices cuda:0,cuda:1 --parallel tensor (69.5 GB each)");
    EXPECT_ERROR(BadInput, check_memory(full, gpu, int64_t(40e9), 8),
                 "or --devices cuda:0,cuda:1,cuda:2,cuda:3 --parallel tensor (35.3 GB each)");
    EXPECT_ERROR(BadInput, check_memory(memory_plan(c, at::kBFloat16, {}, true), gpu, int64_t(2e9)),
                 "even streaming its layers, the model needs 4.5 GB");
    check_memory(full, gpu, int64_t(160e9));  // fits, with a tenth to spare
  }

  // Issue #23's placement: contiguous layer ranges with as little as possible on the fullest device.
  // Llama-2-70B in bf16 over two GPUs (embeddings E = 2 · 32000 · 8192 bytes on the first; the head, E again,
  // and the final norm with the last layer; each layer L as counted above): 40 layers each, E + 40 L = 69.0
  // GB on the first and 16 kB more on the second. Six layers of 4 bytes, embeddings and head of 10 over three
  // devices: at most 16 on any (15 leaves the head no room), filled in order: {E, 0} 14, {1 … 4} 16, {5,
  // head} 14.
  void placementBalancesTheLayersByBytes() {
    const MemoryPlan llama = memory_plan(shape_config("llama2-70b"), at::kBFloat16, {}, false);
    const int64_t e = 2LL * 32000 * 8192,
                  l = 2LL * (2 * 8192 * 8192 + 2 * 1024 * 8192 + 3 * 28672 * 8192 + 2 * 8192);
    const LayerPlacement halves = place_layers(llama, 2);
    QCOMPARE(halves.device_of_layer.size(), size_t(80));
    for (size_t i = 0; i < 80; ++i) QCOMPARE(halves.device_of_layer[i], i < 40 ? 0 : 1);
    QCOMPARE(halves.bytes, (std::vector<int64_t>{e + 40 * l, 40 * l + e + 2 * 8192}));

    MemoryPlan small;
    small.embedding = 10;
    small.layer_bytes.assign(6, 4);
    const LayerPlacement thirds = place_layers(small, 3);
    QCOMPARE(thirds.device_of_layer, (std::vector<int>{0, 1, 1, 1, 1, 2}));
    QCOMPARE(thirds.bytes, (std::vector<int64_t>{14, 16, 14}));

    const std::vector<c10::Device> gpus{c10::Device("cuda:0"), c10::Device("cuda:1")};
    auto free_bytes = [](int64_t bytes) { return [bytes](c10::Device) { return bytes; }; };
    EXPECT_ERROR(BadInput, check_placement(halves, gpus, free_bytes(int64_t(60e9))),
                 "placed over cuda:0,cuda:1, the model needs 69.0 GB of weights on cuda:0, which has 60.0 GB "
                 "free: add a device, use --stream-layers or drop more modules");
    check_placement(halves, gpus, free_bytes(int64_t(80e9)));  // 69.0 GB with a tenth of 80 to spare
    // A device named twice holds both shares.
    EXPECT_ERROR(BadInput,
                 check_placement(halves, {c10::Device("cpu"), c10::Device("cpu")}, free_bytes(int64_t(80e9))),
                 "the model needs 138.0 GB of weights on cpu, which has 80.0 GB free");
  }

  void runtimeDropTogglesNeedNoReload() {
    const auto ref = test::read_json(test::data_dir() / "reference" / "llama.json");
    const auto ids = ref["ids"].get<std::vector<int64_t>>();
    const auto m = load("llama", "float32", {});
    for (const auto& c : ref["cases"]) {  // every plan on the same model, in sequence, and back again
      m->set_drops(DropPlan{to_set(c["drop_attn"]), to_set(c["drop_mlp"])});
      QVERIFY(max_abs_diff(next_token_logprobs(*m, ids), c["logprobs"]) <= 1e-4);
    }
    m->set_drops({});
    QVERIFY(max_abs_diff(next_token_logprobs(*m, ids), ref["cases"][0]["logprobs"]) <= 1e-4);
    EXPECT_ERROR(BadInput, m->set_drops(DropPlan{{6}, {}}), "out of range");
  }

  void observersSeeEveryLayer() {
    const auto m = load("qwen2", "float32", DropPlan{{1}, {2}});
    TraceRecorder recorder;
    m->forward(at::tensor(std::vector<int64_t>{1, 50, 60, 70}, at::kLong).unsqueeze(0), nullptr, &recorder);
    QCOMPARE(recorder.seen.size(), size_t(4));
    QCOMPARE(recorder.seen[1], std::make_tuple(int64_t(1), false, true));
    QCOMPARE(recorder.seen[2], std::make_tuple(int64_t(2), true, false));
    QVERIFY(recorder.worst_residual_error == 0);
  }

  void cancelledLoadStops() {
    JobContext job;
    job.cancel();
    EXPECT_ERROR(Cancelled, Model::load(Checkpoint::open(test::model_dir("llama")), {}, job), "cancelled");
  }

  // Random-weight models of a named shape (llmdrop bench --random-weights): each tensor depends only on the
  // seed and its name, so a module dropped and re-enabled comes back identical, and a model loaded with drops
  // equals the full one with the same drops set.
  void randomWeightModelsAreReproducible() {
    const ModelConfig config = shape_config("tiny");
    QCOMPARE(shape_config("llama2-7b").num_layers, int64_t(32));
    QCOMPARE(shape_config("mistral-7b").sliding_window[0], int64_t(4096));
    QCOMPARE(shape_config("llama3-8b").num_kv_heads, int64_t(8));
    EXPECT_ERROR(BadInput, shape_config("gpt5"), "unknown shape 'gpt5' (known: llama2-13b");
    LoadOptions options;
    options.device = test::test_device();
    options.dtype = "float32";
    const auto ids = at::arange(3, 19, at::kLong).unsqueeze(0);  // (1, 16)
    auto model = Model::random(config, options, 5);
    QVERIFY(model->has_random_weights());
    const at::Tensor full = model->forward(ids).cpu();
    QVERIFY(full.abs().sum().item<double>() > 0);
    model->set_drops(DropPlan{{1}, {2}});
    const at::Tensor dropped = model->forward(ids).cpu();
    QVERIFY(!at::allclose(dropped, full));
    model->set_drops(DropPlan{});
    QVERIFY(at::equal(model->forward(ids).cpu(), full));
    options.drops = DropPlan{{1}, {2}};
    QVERIFY(at::equal(Model::random(config, options, 5)->forward(ids).cpu(), dropped));
    QVERIFY(!at::equal(
        Model::random(config, LoadOptions{test::test_device(), "float32", {}}, 6)->forward(ids).cpu(), full));
  }

  // The fixed-shape decode step that CUDA graphs capture (whole-capacity attention with later slots masked,
  // cache written at a device position) gives the logits of the ordinary cached step: sliding window, drops.
  void fixedShapeDecodeStepEqualsTheCachedStep_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("drop_attn");
    QTest::newRow("llama") << "llama"
                           << "";
    QTest::newRow("llama, attention 1 and 4 dropped") << "llama"
                                                      << "1,4";
    QTest::newRow("mistral, window 8") << "mistral"
                                       << "";
  }
  void fixedShapeDecodeStepEqualsTheCachedStep() {
    QFETCH(QString, model);
    QFETCH(QString, drop_attn);
    LoadOptions options;
    options.device = test::test_device();
    options.dtype = "float32";
    if (!drop_attn.isEmpty())
      options.drops = DropPlan{DropPlan::parse_csv(drop_attn.toStdString(), "drops"), {}};
    const auto m = Model::load(Checkpoint::open(test::model_dir(model.toStdString())), options);
    const auto dev = m->device();
    const at::Tensor prompt = at::arange(5, 17, at::kLong).unsqueeze(0).to(dev);  // (1, 12)
    KVCache plain = m->new_cache(1, 32), fixed = m->new_cache(1, 32);
    at::Tensor a = m->forward(prompt, &plain, nullptr, true), b = m->forward(prompt, &fixed, nullptr, true);
    at::Tensor position = at::empty({1}, at::TensorOptions().dtype(at::kLong).device(dev));
    for (int step = 0; step < 12; ++step) {  // past the window of 8
      const at::Tensor next = a.argmax(-1);
      QVERIFY(at::equal(next, b.argmax(-1)));
      a = m->forward(next, &plain, nullptr, true);
      position.fill_(fixed.length());
      b = m->decode_step(next, position, fixed);
      fixed.advance(1);
      const double diff = (a - b).abs().max().item<double>(), scale = a.abs().max().item<double>();
      QVERIFY2(diff <= 1e-5 * std::max(1.0, scale), ("step " + std::to_string(step) + ": max |Δ logit| " +
                                                     std::to_string(diff) + " of " + std::to_string(scale))
                                                        .c_str());
    }
  }

  // In 16 bits at batch 1 a GPU's decode step runs on fused kernels (model/cuda); on the CPU it is the ATen
  // fixed-shape step. Either way its logits must stay as close to the float32 model's as the cached 16-bit
  // forward's do, step after step (so the cache it writes is right too): past a sliding window, with drops,
  // grouped query heads, biases, 4-bit quantized checkpoints (against their weights dequantized in float32;
  // on a GPU the 4-bit kernels), and (on a GPU) two layers of Llama-2-7B's width, 16-bit and 4-bit (in each
  // of the 4-bit kernel's launch shapes too). A 4-bit model's steps are also compared with those of its
  // 16-bit copy holding the weights as the loaders dequantize them (float16 products): on the CPU they are
  // the same steps; on a GPU in float16 the kernels' weights are the copy's, summed in another order, so the
  // steps stay closer to the copy's than to float32. (In bfloat16 the kernels multiply exact codes instead,
  // closer to float32 than the copy's bfloat16 weights: the gap is printed.)
  void sixteenBitDecodeStepIsAsAccurateAsTheCachedForward_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<QString>("drop_attn");
    QTest::addColumn<QString>("drop_mlp");
    QTest::newRow("llama bf16") << "llama"
                                << "bfloat16"
                                << ""
                                << "";
    const bool gpu = test::test_device() != "cpu";  // (the CPU's libtorch 1.13 has no float16 products)
    QTest::newRow("llama, attention 1, 4 and MLP 2 dropped")
        << "llama" << (gpu ? "float16" : "bfloat16") << "1,4"
        << "2";
    QTest::newRow("mistral bf16, window 8") << "mistral"
                                            << "bfloat16"
                                            << ""
                                            << "";
    QTest::newRow("qwen2 bf16, q/k/v biases") << "qwen2"
                                              << "bfloat16"
                                              << ""
                                              << "";
    QTest::newRow("llama3 bf16, 4 query heads per key/value head") << "llama3"
                                                                   << "bfloat16"
                                                                   << ""
                                                                   << "";
    QTest::newRow("llama, GPTQ 4-bit act-order, bf16") << "llama gptq"
                                                       << "bfloat16"
                                                       << ""
                                                       << "";
    QTest::newRow("llama, AWQ 4-bit, MLP 2 dropped") << "llama awq" << (gpu ? "float16" : "bfloat16") << ""
                                                     << "2";
    if (gpu) {
      QTest::newRow("llama2-7b width, 2 layers, bf16") << "llama2-7b"
                                                       << "bfloat16"
                                                       << ""
                                                       << "";
      QTest::newRow("llama2-7b width, 2 layers, 4-bit shuffled groups of 128, bf16") << "llama2-7b 4-bit 128"
                                                                                     << "bfloat16"
                                                                                     << ""
                                                                                     << "";
      QTest::newRow("llama2-7b width, 2 layers, 4-bit shuffled groups of 128, fp16") << "llama2-7b 4-bit 128"
                                                                                     << "float16"
                                                                                     << ""
                                                                                     << "";
      QTest::newRow("llama2-7b width, 2 layers, 4-bit, one group per row, fp16") << "llama2-7b 4-bit 0"
                                                                                 << "float16"
                                                                                 << ""
                                                                                 << "";
      // down's input not in whole slices of 64 columns (11024 = 172 · 64 + 16; groups need K a multiple of
      // 16): the padding of its fragment-order input, in order and in a shuffled (act-order) column order.
      QTest::newRow("llama2-7b width, MLP 11024 wide, 4-bit, one group per row, fp16")
          << "llama2-7b:11024 4-bit 0"
          << "float16"
          << ""
          << "";
      QTest::newRow("llama2-7b width, MLP 11024 wide, 4-bit shuffled groups of 16, fp16")
          << "llama2-7b:11024 4-bit 16"
          << "float16"
          << ""
          << "";
      // Groups of 16 over an MLP 28672 wide: a block of down's 4-bit kernel would need 291 KB of shared
      // memory (its B fragments and two tiles' scales and zeros), more than a GPU has, so the step is the
      // ATen one (cuda::int4_gemv_fits) instead of a failed launch.
      QTest::newRow("llama2-7b width, MLP 28672 wide, 4-bit groups of 16 (too many for the kernel), fp16")
          << "llama2-7b:28672 4-bit 16"
          << "float16"
          << ""
          << "";
      // Each launch shape of the 4-bit kernel forced on every product (the default picks by row count).
      for (const int shape : {0, 1})
        for (const auto& [group, dtype] : {std::pair{"128", "bfloat16"}, std::pair{"0", "float16"}})
          QTest::newRow(qPrintable(
              QString("llama2-7b width, 4-bit groups %1, %2, launch shape %3").arg(group, dtype).arg(shape)))
              << QString("llama2-7b 4-bit %1 %2").arg(group).arg(shape) << dtype << ""
              << "";
    }
  }
  void sixteenBitDecodeStepIsAsAccurateAsTheCachedForward() {
    QFETCH(QString, model);
    QFETCH(QString, dtype);
    QFETCH(QString, drop_attn);
    QFETCH(QString, drop_mlp);
    LoadOptions options;
    options.device = test::test_device();
    auto layers = [](const QString& csv) {
      return csv.isEmpty() ? std::set<int64_t>{} : DropPlan::parse_csv(csv.toStdString(), "drops");
    };
    options.drops = DropPlan{layers(drop_attn), layers(drop_mlp)};
    // checkpoint[:MLP WIDTH] [gptq | awq | 4-bit GROUP [LAUNCH SHAPE]]
    const QStringList name = model.split(' '), base = name[0].split(':');
    const QString variant = name.size() > 1 ? name[1] : "";
    auto load_as = [&](const char* type) {
      options.dtype = type;
      if (variant == "gptq" || variant == "awq")
        return Model::load(Checkpoint::open(quantized_llama(variant.toStdString())), options);
      if (base[0] != "llama2-7b")
        return Model::load(Checkpoint::open(test::model_dir(model.toStdString())), options);
      ModelConfig shape = shape_config("llama2-7b");
      shape.num_layers = 2;
      if (base.size() > 1) shape.intermediate_size = base[1].toLongLong();
      shape.sliding_window.resize(2);
      return Model::random(shape, options, /*seed=*/7);
    };
    const auto reference = load_as("float32");
    const auto m = load_as(dtype.toUtf8().constData());
    if (variant == "4-bit") use_random_four_bit_layers(*reference, *m, name[2].toLongLong());
    if (QTest::currentTestFailed()) return;
    const auto dev = m->device();
    std::unique_ptr<Model> dense;  // 4-bit: the 16-bit copy
    if (!variant.isEmpty()) {  // packed where the model runs: one byte per weight on the CPU, 4 bits on a GPU
      const LinearWeight& o = m->layers()[0].attn->o;
      QCOMPARE(o.packed.has_value(), dev.is_cpu());
      QCOMPARE(o.int4.has_value(), !dev.is_cpu());
      dense = load_as(dtype.toUtf8().constData());
      auto densify = [&](LinearWeight& copy, const LinearWeight& packed) {
        if (!packed.int4 && !packed.packed) return;  // left 16-bit in the checkpoint: the copy loaded it too
        const QuantizedWeight q = packed.int4 ? packed.int4->unpack() : *packed.packed;
        copy = {.dense = q.dequantize().to(m->dtype()), .dtype = m->dtype()};
      };
      for (int64_t i = 0; i < m->config().num_layers; ++i) {
        const DecoderLayer& packed = m->layers()[i];
        DecoderLayer& copy = dense->mutable_layer(i);
        if (packed.attn) {
          copy.attn->pre_norm = packed.attn->pre_norm;
          densify(copy.attn->qkv, packed.attn->qkv);
          densify(copy.attn->o, packed.attn->o);
        }
        if (packed.mlp) {
          copy.mlp->pre_norm = packed.mlp->pre_norm;
          densify(copy.mlp->gate_up, packed.mlp->gate_up);
          densify(copy.mlp->down, packed.mlp->down);
        }
      }
    }
    if (name.size() > 3) qputenv("LLMDROP_INT4_SHAPE", name[3].toUtf8());  // read at each 4-bit launch
    const auto default_shape = qScopeGuard([] { qunsetenv("LLMDROP_INT4_SHAPE"); });
    const at::Tensor prompt = at::arange(5, 17, at::kLong).unsqueeze(0).to(dev);  // (1, 12)
    KVCache exact = reference->new_cache(1, 40), cached = m->new_cache(1, 40), fixed = m->new_cache(1, 40);
    std::optional<KVCache> dense_cache;
    at::Tensor want = reference->forward(prompt, &exact, nullptr, true);
    m->forward(prompt, &cached, nullptr, true);
    m->forward(prompt, &fixed, nullptr, true);
    if (dense) dense->forward(prompt, &dense_cache.emplace(dense->new_cache(1, 40)), nullptr, true);
    at::Tensor position = at::empty({1}, at::TensorOptions().dtype(at::kLong).device(dev));
    double cached_error = 0, step_error = 0, scale = 0;
    double dense_gap = 0, dense_gap_sum = 0, step_error_sum = 0;  // max and summed |Δ logit|
    for (int step = 0; step < 20; ++step) {  // past the window of 8; the float32 model picks the tokens
      const at::Tensor next = want.argmax(-1);
      want = reference->forward(next, &exact, nullptr, true);
      const at::Tensor from_cached = m->forward(next, &cached, nullptr, true).to(at::kFloat);
      position.fill_(fixed.length());
      const at::Tensor from_step = m->decode_step(next, position, fixed).to(at::kFloat);
      fixed.advance(1);
      if (dense) {
        position.fill_(dense_cache->length());
        const at::Tensor from_dense = dense->decode_step(next, position, *dense_cache).to(at::kFloat);
        dense_cache->advance(1);
        const at::Tensor gap = (from_step - from_dense).abs();
        dense_gap = std::max(dense_gap, gap.max().item<double>());
        dense_gap_sum += gap.sum().item<double>();
        step_error_sum += (from_step - want).abs().sum().item<double>();
      }
      QVERIFY(at::isfinite(from_step).all().item<bool>());
      cached_error = std::max(cached_error, (from_cached - want).abs().max().item<double>());
      step_error = std::max(step_error, (from_step - want).abs().max().item<double>());
      scale = std::max(scale, want.abs().max().item<double>());
    }
    qInfo(
        "max |Δ logit| against float32 over 20 steps: cached forward %.5f, decode step %.5f (logits up to "
        "%.3f)",
        cached_error, step_error, scale);
    QVERIFY(cached_error > 0);  // 16-bit rounding is there to compare with
    QVERIFY2(step_error <= 2 * cached_error,
             "the decode step strays further from float32 than the cached forward");
    if (dense) {
      const double mean_share = dense_gap_sum / step_error_sum;
      qInfo(
          "4-bit decode step against its 16-bit copy's: |Δ logit| up to %.5f, on average %.4f of its gap to "
          "float32",
          dense_gap, mean_share);
      // Calibrated on an H100 (the float16 rows): 0.34 to 0.61 with the same weights, since 16-bit rounding
      // of the activations parts any two summation orders quickly; 1.02 to 1.14 when the kernels' weights
      // are rounded as fast dequantizers round them, scale · code − (scale · zero, rounded), 1 ulp apart in
      // part of the weights.
      if (dev.is_cpu())  // each layer's weights dequantized where it runs: the copy's products
        QVERIFY2(dense_gap == 0.0, "the CPU's 4-bit decode step differs from its dequantized copy's");
      else if (dtype == "float16")
        QVERIFY2(mean_share <= 0.8,
                 "the 4-bit decode step does not compute with the weights its dequantized copy holds");
    }
    if (name.size() > 3) {  // the forced shape reached the 4-bit launches: one that does not exist is refused
      qputenv("LLMDROP_INT4_SHAPE", "99");
      position.fill_(fixed.length());
      QVERIFY_THROWS_EXCEPTION(std::invalid_argument, m->decode_step(want.argmax(-1), position, fixed));
    }
  }

  // Greedy generation replaying a captured CUDA graph per token gives the tokens of eager decode steps (on a
  // GPU; on the CPU there is no graph and both runs take the plain path).
  void cudaGraphDecodingGeneratesTheSameTokens() {
    LoadOptions options;
    options.device = test::test_device();
    options.dtype = "float32";
    const auto m = Model::load(Checkpoint::open(test::model_dir("mistral")), options);
    KVCache cache = m->new_cache(1, 8);
    m->forward(at::arange(3, 5, at::kLong).unsqueeze(0), &cache, nullptr, true);
    DecodeGraph probe(*m, cache);
    for (int i = 0; i < 3; ++i)
      probe.step(at::full({1, 1}, 7, at::TensorOptions().dtype(at::kLong).device(m->device())));
    QCOMPARE(probe.uses_graph(), m->device().is_cuda());
    SamplingOptions sampling;
    sampling.max_new_tokens = 64;
    const std::vector<int64_t> prompt = {1, 40, 41, 42};
    sampling.cuda_graphs = true;
    const auto with_graphs = generate(*m, prompt, sampling);
    sampling.cuda_graphs = false;
    QCOMPARE(with_graphs, generate(*m, prompt, sampling));
    QCOMPARE(with_graphs.size(), size_t(64));
  }

  // A greedy loop that passes each step's greedy_token() back (the token and position never leave the
  // device; on a GPU a replayed graph) decodes the tokens of one that hands the argmax of the returned logits
  // to eager steps, and greedy_token() is that argmax.
  void greedyTokenFeedsTheNextStep() {
    LoadOptions options;
    options.device = test::test_device();
    options.dtype = "float32";
    const auto m = Model::load(Checkpoint::open(test::model_dir("mistral")), options);
    const at::Tensor prompt = at::tensor({1, 40, 41, 42}, at::kLong).unsqueeze(0);
    constexpr int kSteps = 24;
    KVCache fed_cache = m->new_cache(1, 4 + kSteps), plain_cache = m->new_cache(1, 4 + kSteps);
    at::Tensor fed = m->forward(prompt, &fed_cache, nullptr, true).argmax(-1);  // (1, 1)
    at::Tensor plain = m->forward(prompt, &plain_cache, nullptr, true).argmax(-1);
    DecodeGraph fed_decoder(*m, fed_cache), plain_decoder(*m, plain_cache, /*use_graph=*/false);
    std::vector<int64_t> fed_tokens, plain_tokens;
    for (int i = 0; i < kSteps; ++i) {
      const at::Tensor logits = fed_decoder.step(fed);
      fed = fed_decoder.greedy_token();
      QCOMPARE(fed.item<int64_t>(), logits.argmax(-1).item<int64_t>());
      fed_tokens.push_back(fed.item<int64_t>());
      plain = plain_decoder.step(plain).argmax(-1);
      plain_tokens.push_back(plain.item<int64_t>());
    }
    QCOMPARE(fed_decoder.uses_graph(), m->device().is_cuda());
    QCOMPARE(fed_tokens, plain_tokens);
    QVERIFY(std::set<int64_t>(fed_tokens.begin(), fed_tokens.end()).size() > 1);  // not one token repeated
  }
};

QTEST_GUILESS_MAIN(EngineTest)
#include "tst_engine.moc"
