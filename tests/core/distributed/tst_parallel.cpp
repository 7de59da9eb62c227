// Several ranks through c10d (Gloo, two ranks on the CPU): tensor parallelism gives one rank's logits and
// tokens, data parallelism one rank's scores; what cannot be split is refused with a message.
#include <ATen/ATen.h>
#include <QtTest>

#include <cmath>
#include <mutex>

#include "analysis/importance.h"
#include "checkpoint/checkpoint.h"
#include "checkpoint/tokenizer.h"
#include "distributed/communicator.h"
#include "eval/evaluator.h"
#include "model/generation.h"
#include "model/model.h"
#include "support/test_support.h"
#include "util/error.h"

using namespace llmdrop;

namespace {
Checkpoint demo() {
  return Checkpoint::open(test::data_dir() / ".." / ".." / "resources" / "models" / "demo");
}

LoadOptions float32(const DropPlan& drops) {
  LoadOptions options;
  options.dtype = "float32";
  options.drops = drops;
  return options;
}

std::vector<std::shared_ptr<Communicator>> two_cpu_ranks() {
  return Communicator::in_process({c10::Device("cpu"), c10::Device("cpu")});
}

std::vector<int64_t> greedy_tokens(const Model& model, const std::vector<int64_t>& prompt, int64_t n) {
  SamplingOptions options;
  options.max_new_tokens = n;
  return generate(model, prompt, options);
}

at::Tensor random_ids(int64_t batch, int64_t length) {
  at::manual_seed(7);
  return at::randint(4096, {batch, length}, at::kLong);
}

// What work(model, options) gives on the demo model, and on each of two data-parallel ranks (a replica each,
// options.data_parallel set).
template <class Options, class Work>
auto on_one_and_on_two_ranks(const Options& options, Work work) {
  using Result = decltype(work(std::declval<Model&>(), options));
  const auto whole = Model::load(demo(), float32({}));
  std::pair<Result, std::vector<Result>> results{work(*whole, options), std::vector<Result>(2)};
  run_ranks(two_cpu_ranks(), [&](const std::shared_ptr<Communicator>& c) {
    auto replica = Model::load(demo(), float32({}));
    Options mine = options;
    mine.data_parallel = c;
    results.second[c->rank()] = work(*replica, mine);
  });
  return results;
}
}  // namespace

class ParallelTest : public QObject {
  Q_OBJECT

 private slots:
  void shareSplitsItemsContiguously() {
    QCOMPARE(rank_share(10, 0, 3), (std::pair<int64_t, int64_t>{0, 4}));
    QCOMPARE(rank_share(10, 1, 3), (std::pair<int64_t, int64_t>{4, 7}));
    QCOMPARE(rank_share(10, 2, 3), (std::pair<int64_t, int64_t>{7, 10}));
    QCOMPARE(rank_share(1, 1, 2), (std::pair<int64_t, int64_t>{1, 1}));
  }

  void allReduceAndGatherSumAndConcatenate() {
    const auto ranks = two_cpu_ranks();
    std::mutex mutex;
    std::vector<at::Tensor> sums(2), gathered(2);
    run_ranks(ranks, [&](const std::shared_ptr<Communicator>& c) {
      at::Tensor t = at::full({3}, double(c->rank() + 1), at::kDouble);
      c->all_reduce_sum(t);
      const at::Tensor g = c->all_gather(at::full({1, 2}, double(10 * c->rank()), at::kDouble));
      const std::lock_guard lock(mutex);
      sums[c->rank()] = t;
      gathered[c->rank()] = g;
    });
    for (int r = 0; r < 2; ++r) {
      QVERIFY(at::equal(sums[r], at::full({3}, 3.0, at::kDouble)));
      QVERIFY(at::equal(gathered[r], at::tensor({0.0, 0.0, 10.0, 10.0}, at::kDouble).view({2, 2})));
    }
  }

  // Each rank holds half of every layer's heads and MLP columns; the o and down partial products summed over
  // the ranks give one model's logits (float32: within rounding of the split sums) and greedy tokens, with
  // and without drops, for a fresh pass and for decoding with a KV cache.
  void tensorParallelGivesOneModelsLogits() {
    const Checkpoint checkpoint = demo();
    const at::Tensor ids = random_ids(2, 40);
    for (const DropPlan& plan : {DropPlan{}, DropPlan{{3, 7}, {5}}}) {
      const auto whole = Model::load(checkpoint, float32(plan));
      const at::Tensor expected = whole->forward(ids);  // (2, 40, V)
      const auto expected_tokens = greedy_tokens(*whole, {1, 450, 2933}, 12);
      const auto ranks = two_cpu_ranks();
      std::vector<at::Tensor> logits(2);
      std::vector<std::vector<int64_t>> tokens(2);
      std::vector<int64_t> parameters(2);
      run_ranks(ranks, [&](const std::shared_ptr<Communicator>& c) {
        LoadOptions options = float32(plan);
        options.tensor_parallel = c;
        const auto shard = Model::load(checkpoint, options);
        QCOMPARE(shard->shard().heads, int64_t(4));
        QCOMPARE(shard->shard().kv_heads, int64_t(1));
        logits[c->rank()] = shard->forward(ids);
        tokens[c->rank()] = greedy_tokens(*shard, {1, 450, 2933}, 12);
        parameters[c->rank()] = shard->resident_parameters();
      });
      for (int r = 0; r < 2; ++r) {
        const double diff = (logits[r] - expected).abs().max().item<double>();
        qInfo("plan %s, rank %d: largest logit difference %.3g", plan.empty() ? "none" : "attn 3,7 mlp 5", r,
              diff);
        QVERIFY2(diff < 1e-4, qPrintable(QString::number(diff)));
        QVERIFY(at::equal(logits[r].argmax(-1), expected.argmax(-1)));
        QCOMPARE(tokens[r], expected_tokens);
      }
      // The layers' linears are split; the embedding (tied head) and the norms are whole on each rank.
      const int64_t embedding = 4096 * 256,
                    norms = 256 * (1 + 12 - int64_t(plan.attn.size()) + 12 - int64_t(plan.mlp.size()));
      for (int r = 0; r < 2; ++r)
        QCOMPARE(parameters[r] - embedding - norms, (whole->resident_parameters() - embedding - norms) / 2);
    }
  }

  // The same for every family: Qwen2's q|k|v biases, Qwen3's per-head norms, Gemma 2's post-norms,
  // soft-capping and sliding window, Phi-3's fused q|k|v and gate|up checkpoints, Mistral-Nemo's head_dim.
  void tensorParallelGivesOneModelsLogitsInEveryFamily_data() {
    test::add_name_rows("family", {"qwen2", "qwen3", "gemma2", "phi3", "mistral-nemo"});
  }
  void tensorParallelGivesOneModelsLogitsInEveryFamily() {
    QFETCH(QString, family);
    const Checkpoint checkpoint = Checkpoint::open(test::model_dir(family.toStdString()));
    at::manual_seed(3);
    const at::Tensor ids = at::randint(checkpoint.config.vocab_size, {2, 24}, at::kLong);
    const auto ranks = two_cpu_ranks();
    for (const DropPlan& plan : {DropPlan{}, DropPlan{{1}, {0}}}) {
      const at::Tensor expected = Model::load(checkpoint, float32(plan))->forward(ids);
      std::vector<at::Tensor> logits(2);
      run_ranks(ranks, [&](const std::shared_ptr<Communicator>& c) {
        LoadOptions options = float32(plan);
        options.tensor_parallel = c;
        logits[c->rank()] = Model::load(checkpoint, options)->forward(ids);
      });
      for (const at::Tensor& l : logits) {
        const double diff = (l - expected).abs().max().item<double>();
        QVERIFY2(diff < 1e-4, qPrintable(family + ": " + QString::number(diff)));
      }
    }
  }

  // Each rank scores its half of the blocks on its own replica; the merged sums give one rank's scores.
  void dataParallelGivesOneModelsScores() {
    const at::Tensor blocks = random_ids(5, 64);  // an odd count: the ranks get 3 and 2
    ScoreOptions options;
    options.consecutive = true;
    const auto [expected, scores] = on_one_and_on_two_ranks(
        options, [&](Model& model, const ScoreOptions& o) { return score_layers(model, blocks, o); });
    for (const auto& s : scores) {
      QCOMPARE(s.tokens, expected.tokens);
      QVERIFY(std::abs(s.base_nll - expected.base_nll) < 1e-12);
      for (const ModuleKind kind : {ModuleKind::Block, ModuleKind::Attn, ModuleKind::Mlp})
        for (size_t i = 0; i < 12; ++i) {
          QVERIFY(std::abs(s.of(kind).cosine[i] - expected.of(kind).cosine[i]) < 1e-12);
          QVERIFY(std::abs(s.of(kind).angular[i] - expected.of(kind).angular[i]) < 1e-12);
        }
      QCOMPARE(s.consecutive.size(), expected.consecutive.size());
      for (size_t i = 0; i < s.consecutive.size(); ++i)
        for (size_t g = 0; g < s.consecutive[i].size(); ++g)
          QVERIFY(std::abs(s.consecutive[i][g] - expected.consecutive[i][g]) < 1e-12);
    }
  }

  // Each rank scores every other packed request sequence of arc_easy and hellaswag on its replica; the merged
  // log-likelihoods give one model's, document by document, and so its predictions and accuracies.
  void dataParallelEvaluationGivesOneModelsResults() {
    const Checkpoint checkpoint = demo();
    const Tokenizer tokenizer = Tokenizer::open(checkpoint.dir, checkpoint.config);
    EvalOptions options;
    options.tasks = {"arc_easy", "hellaswag"};
    options.data.data_dirs = {test::data_dir() / "eval" / "hf"};
    options.batch_size = 1;
    const auto [expected, results] = on_one_and_on_two_ranks(
        options, [&](Model& model, const EvalOptions& o) { return evaluate(model, tokenizer, o); });
    for (const EvalResults& r : results) {
      QCOMPARE(r.tasks.size(), expected.tasks.size());
      for (size_t t = 0; t < r.tasks.size(); ++t) {
        QCOMPARE(r.tasks[t].metrics, expected.tasks[t].metrics);
        QCOMPARE(r.tasks[t].records.size(), expected.tasks[t].records.size());
        QVERIFY(r.tasks[t].records.size() >= 8);
        for (size_t d = 0; d < r.tasks[t].records.size(); ++d) {
          QCOMPARE(r.tasks[t].records[d]["pred"], expected.tasks[t].records[d]["pred"]);
          QCOMPARE(r.tasks[t].records[d]["lls"], expected.tasks[t].records[d]["lls"]);
        }
      }
    }
  }

  // Replicas of random weights made side by side (each rank's load on its own thread) are the same model:
  // data parallelism over them gives one model's numbers.
  void randomWeightsAreTheSameOnEveryRank() {
    const ModelConfig shape = demo().config;
    const at::Tensor ids = random_ids(1, 16);
    const at::Tensor expected = Model::random(shape, float32({}))->forward(ids);
    std::vector<at::Tensor> logits(2);
    run_ranks(two_cpu_ranks(), [&](const std::shared_ptr<Communicator>& c) {
      logits[c->rank()] = Model::random(shape, float32({}))->forward(ids);
    });
    for (const at::Tensor& l : logits) QVERIFY(at::equal(l, expected));
  }

  void whatCannotBeSplitIsRefused() {
    EXPECT_ERROR(BadInput, Communicator::in_process({c10::Device("cpu"), c10::Device("cuda:7")}),
                 "mixes the CPU and GPUs");
    EXPECT_ERROR(BadInput, Communicator::in_process({c10::Device("cuda:1"), c10::Device("cuda:1")}),
                 "names cuda:1 twice");
    // Eight heads and two key/value heads do not divide by three ranks.
    const auto three = Communicator::in_process({c10::Device("cpu"), c10::Device("cpu"), c10::Device("cpu")});
    std::vector<std::string> errors(3);
    run_ranks(three, [&](const std::shared_ptr<Communicator>& c) {
      LoadOptions options = float32({});
      options.tensor_parallel = c;
      try {
        Model::load(demo(), options);
      } catch (const Error& e) {
        errors[c->rank()] = e.what();
      }
    });
    for (const auto& e : errors) QVERIFY2(e.find("to divide by 3") != std::string::npos, e.c_str());
    // Data parallelism needs a block per rank.
    const auto model = Model::load(demo(), float32({}));
    ScoreOptions options;
    options.data_parallel = three[0];
    EXPECT_ERROR(BadInput, score_layers(*model, random_ids(2, 16), options), "at least 3 calibration blocks");
    // Layers placed over several devices are one model: not also split or streamed.
    LoadOptions placed = float32({});
    placed.device = "cpu,cpu";
    placed.tensor_parallel = three[0];
    EXPECT_ERROR(BadInput, Model::load(demo(), placed),
                 "tensor parallelism and layers placed over several devices do not combine");
    placed.tensor_parallel.reset();
    placed.stream_layers = true;
    EXPECT_ERROR(BadInput, Model::load(demo(), placed), "--stream-layers and layers placed");
  }
};

QTEST_GUILESS_MAIN(ParallelTest)
#include "tst_parallel.moc"
