// Importance analysis, selection and export against transformers + LLM-Drop-style hooks
// (tools/make_analysis_fixtures.py → tests/data/reference/analysis.json), plus round trips.
#include <ATen/ATen.h>

#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>

#include "analysis/calibration.h"
#include "analysis/impact.h"
#include "analysis/importance.h"
#include "analysis/lens.h"
#include "analysis/score_file.h"
#include "analysis/selection.h"
#include "checkpoint/checkpoint.h"
#include "checkpoint/summary.h"
#include "checkpoint/tokenizer.h"
#include "eval/evaluator.h"
#include "eval/perplexity.h"
#include "export/exporter.h"
#include "model/generation.h"
#include "model/model.h"
#include "support/test_support.h"
#include "support/tree_digest.h"
#include "util/sha256.h"

using namespace llmdrop;
namespace fs = std::filesystem;

namespace {
nlohmann::json reference() {
  return test::read_json(test::data_dir() / "reference" / "analysis.json");
}

std::unique_ptr<Model> load_llama(const fs::path& dir = test::model_dir("llama")) {
  LoadOptions options;
  options.device = test::test_device();
  options.dtype = "float32";
  return Model::load(Checkpoint::open(dir), options);
}

at::Tensor reference_blocks() {
  const Checkpoint ckpt = Checkpoint::open(test::model_dir("llama"));
  const Tokenizer tok = Tokenizer::open(ckpt.dir, ckpt.config);
  return calibration_blocks(tok, read_text_documents(test::data_dir() / "calibration" / "calib.jsonl"), 4,
                            64);
}

double max_diff(const std::vector<double>& ours, const nlohmann::json& theirs) {
  double worst = 0;
  for (size_t i = 0; i < ours.size(); ++i) {
    if (theirs[i].is_null()) {
      if (!std::isnan(ours[i])) return INFINITY;
      continue;
    }
    worst = std::max(worst, std::abs(ours[i] - theirs[i].get<double>()));
  }
  return worst;
}

nlohmann::json lists(const DropPlan& plan) {
  return {{"drop_attn_list", std::vector<int64_t>(plan.attn.begin(), plan.attn.end())},
          {"drop_mlp_list", std::vector<int64_t>(plan.mlp.begin(), plan.mlp.end())}};
}

}  // namespace

class AnalysisTest : public QObject {
  Q_OBJECT

 private slots:
  void sha256KnownVectors() {
    QCOMPARE(sha256_hex(""), std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(sha256_hex("abc"),
             std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(sha256_hex(std::string(1000, 'a')),
             std::string("41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"));
  }

  void calibrationBlocksFollowThePtRecipe() {
    const at::Tensor blocks = reference_blocks();
    QCOMPARE(blocks.sizes().vec(), (std::vector<int64_t>{4, 64}));
    const auto expected = reference()["blocks"];
    for (int64_t b = 0; b < 4; ++b)
      for (int64_t t = 0; t < 64; ++t) QCOMPARE(blocks[b][t].item<int64_t>(), expected[b][t].get<int64_t>());
  }

  void calibrationErrorsAreExplained() {
    const Checkpoint ckpt = Checkpoint::open(test::model_dir("llama"));
    const Tokenizer tok = Tokenizer::open(ckpt.dir, ckpt.config);
    const auto docs = read_text_documents(test::data_dir() / "calibration" / "calib.jsonl");
    EXPECT_ERROR(BadInput, calibration_blocks(tok, docs, 100000, 64), "yields only");
    QTemporaryDir tmp;
    const fs::path bad = tmp.filePath("bad.jsonl").toStdString();
    test::write_file(bad, "{\"text\": \"fine\"}\n{\"txt\": \"no text field\"}\n");
    EXPECT_ERROR(BadInput, read_text_documents(bad),
                 "line 2: expected an object with a string field \"text\"");
    test::write_file(bad, "{\"text\": \"fine\"}\n{oops\n");
    EXPECT_ERROR(BadInput, read_text_documents(bad), "bad.jsonl line 2: not valid JSON");
    const fs::path array = tmp.filePath("array.json").toStdString();
    test::write_file(array, R"([{"text": "a"}, {"text": "b"}])");
    QCOMPARE(read_text_documents(array).size(), size_t(2));
  }

  void similaritiesMatchLlmDropHooks_data() {
    QTest::addColumn<bool>("norm");
    QTest::addColumn<int>("batch");
    for (bool norm : {true, false})
      for (int batch : {1, 3})
        QTest::newRow((std::string(norm ? "norm" : "no-norm") + " batch " + std::to_string(batch)).c_str())
            << norm << batch;
  }
  void similaritiesMatchLlmDropHooks() {
    QFETCH(bool, norm);
    QFETCH(int, batch);
    const auto ref = reference()["scores"];
    const auto model = load_llama();
    ScoreOptions options;
    options.batch_size = batch;
    options.layer_drop_norm = norm;
    options.consecutive = true;
    const ImportanceScores s = score_layers(*model, reference_blocks(), options);
    const std::string suffix = norm ? "_norm" : "_no-norm";
    double worst = 0;
    for (const auto& [name, scores] :
         {std::pair{std::string("block"), &s.block}, {"attn" + suffix, &s.attn}, {"mlp" + suffix, &s.mlp}}) {
      worst = std::max({worst, max_diff(scores->cosine, ref[name]["cosine"]),
                        max_diff(scores->angular, ref[name]["angular"])});
    }
    for (size_t i = 0; i < s.consecutive.size(); ++i)
      worst = std::max(worst, max_diff(s.consecutive[i], ref["consecutive"][i]));
    worst = std::max(worst, std::abs(s.base_nll - ref["base_nll"].get<double>()));
    qInfo("max |Δ| over similarities, angular, consecutive matrix, NLL: %.3g", worst);
    QVERIFY(worst <= 1e-4);
    QCOMPARE(s.tokens, int64_t(4 * 64));
  }

  // Gromov et al.'s span distance d(i, i+g) = arccos(cos(h_i, h_{i+g})) / π on each block's last token,
  // against the same states captured by hand and computed in float64 (h_L: the last layer's output, before
  // the norm).
  void lastTokenAngularIsGromovsDistance() {
    const auto model = load_llama();
    const at::Tensor blocks = reference_blocks();  // (4, 64)
    ScoreOptions options;
    options.consecutive = true;
    options.batch_size = 3;
    const ImportanceScores s = score_layers(*model, blocks, options);
    struct LastStates : HiddenStateObserver {
      std::vector<at::Tensor> states;  // (hidden) float64: layer inputs, then the last output
      void on_layer(const LayerTrace& t) override {
        states.push_back(t.input[0][-1].to(at::kDouble));
        if (t.layer == 5) states.push_back(t.output[0][-1].to(at::kDouble));
      }
    };
    const int64_t layers = 6;
    std::vector<std::vector<double>> sums(layers, std::vector<double>(layers + 1, 0.0));
    for (int64_t b = 0; b < blocks.size(0); ++b) {
      LastStates last;
      model->forward(blocks.slice(0, b, b + 1), nullptr, &last);
      for (int64_t i = 0; i < layers; ++i)
        for (int64_t j = i + 1; j <= layers; ++j) {
          const at::Tensor &a = last.states[static_cast<size_t>(i)], &c = last.states[static_cast<size_t>(j)];
          const double cos = (a.dot(c) / (a.norm() * c.norm())).item<double>();
          sums[static_cast<size_t>(i)][static_cast<size_t>(j)] +=
              std::acos(std::clamp(cos, -1.0, 1.0)) / M_PI;
        }
    }
    QCOMPARE(s.last_token_angular.size(), size_t(layers));
    double worst = 0;
    for (int64_t i = 0; i < layers; ++i) {
      QCOMPARE(s.last_token_angular[static_cast<size_t>(i)].size(), size_t(layers - i));
      for (int64_t g = 1; i + g <= layers; ++g)
        worst = std::max(worst,
                         std::abs(s.last_token_angular[static_cast<size_t>(i)][static_cast<size_t>(g - 1)] -
                                  sums[static_cast<size_t>(i)][static_cast<size_t>(i + g)] / 4));
    }
    qInfo("last-token angular distance, max |Δ| against float64 by hand: %.3g", worst);
    QVERIFY(worst <= 1e-6);
    QVERIFY(s.last_token_angular[0][0] > 0);
    // The span choice: for each n the window whose ends are closest by hand; --keep-first moves it off layer
    // 0.
    SelectionOptions options_last;
    options_last.metric = Metric::AngularLast;
    const std::vector<Span> spans = closest_spans(s, options_last);
    QCOMPARE(spans.size(), size_t(layers));
    for (int64_t n = 1; n <= layers; ++n) {
      int64_t best = 0;
      for (int64_t i = 1; i + n <= layers; ++i)
        if (sums[size_t(i)][size_t(i + n)] < sums[size_t(best)][size_t(best + n)]) best = i;
      QCOMPARE(spans[size_t(n - 1)].first, best);
      QCOMPARE(spans[size_t(n - 1)].n, n);
    }
    DropPlan want;
    for (int64_t i = spans[1].first; i < spans[1].first + 2; ++i) want.attn.insert(i), want.mlp.insert(i);
    QCOMPARE(select_consecutive(s, 2, options_last), want);
    options_last.keep_first = true;
    for (const Span& span : closest_spans(s, options_last)) QVERIFY(span.first > 0);
    QCOMPARE(s.block.angular_last[2], s.last_token_angular[2][0]);
    QVERIFY(s.block.has(Metric::AngularLast) && !s.attn.has(Metric::AngularLast));
  }

  void batchSizeDoesNotChangeTheNumbers() {
    const auto model = load_llama();
    const at::Tensor blocks = reference_blocks();
    ScoreOptions one, four;
    one.consecutive = four.consecutive = true;
    four.batch_size = 4;
    const ImportanceScores a = score_layers(*model, blocks, one), b = score_layers(*model, blocks, four);
    double worst = std::abs(a.base_nll - b.base_nll);
    for (size_t i = 0; i < a.attn.cosine.size(); ++i)
      worst = std::max({worst, std::abs(a.attn.cosine[i] - b.attn.cosine[i]),
                        std::abs(a.mlp.cosine[i] - b.mlp.cosine[i]),
                        std::abs(a.block.angular[i] - b.block.angular[i])});
    qInfo("batch 1 vs batch 4: max |Δ| = %.3g", worst);
    // Float32 GEMMs may block a batch of 4 differently from one row (5.6e-8 on an AMD EPYC, 0 on others); a
    // batching mistake (padding, masks, mixed-up rows) is orders of magnitude larger.
    QVERIFY(worst <= 1e-6);
  }

  void nllDeltaMatchesDroppingEachModule() {
    const auto ref = reference()["nll_delta"];
    const auto model = load_llama();
    ScoreOptions options;
    options.nll_delta = true;
    options.batch_size = 2;
    const ImportanceScores s = score_layers(*model, reference_blocks(), options);
    const double worst =
        std::max({max_diff(s.attn.nll_delta, ref["attn"]), max_diff(s.mlp.nll_delta, ref["mlp"]),
                  max_diff(s.block.nll_delta, ref["block"])});
    qInfo("max |Δ nll-delta| = %.3g", worst);
    QVERIFY(worst <= 1e-4);
    QVERIFY(model->drops().empty());  // restored
  }

  // FinerCut's KL / JS per module (computed from each layer's captured inputs), against loading the model
  // with that module dropped and comparing its next-token distributions with the full model's in float64.
  // With layer 2's attention already dropped: its scores are NaN and the others are measured with it dropped.
  void divergencesMatchDroppingEachModule() {
    const at::Tensor blocks = reference_blocks().slice(0, 0, 2);  // (2, 64)
    const DropPlan given{{2}, {}};
    const auto model = load_llama();
    model->set_drops(given);
    ScoreOptions options;
    options.divergence = true;
    options.batch_size = 2;
    const ImportanceScores s = score_layers(*model, blocks, options);
    auto log_probs = [&](const DropPlan& plan) {
      model->set_drops(plan);
      return at::log_softmax(model->forward(blocks).to(at::kDouble), -1);  // (2, 64, V)
    };
    const at::Tensor log_p = log_probs(given);
    double worst = 0;
    for (const ModuleKind kind : {ModuleKind::Block, ModuleKind::Attn, ModuleKind::Mlp})
      for (int64_t i = 0; i < 6; ++i) {
        const ModuleScores& m = s.of(kind);
        if (is_dropped(given, kind, i)) {
          QVERIFY(std::isnan(m.kl[static_cast<size_t>(i)]) && std::isnan(m.js[static_cast<size_t>(i)]));
          continue;
        }
        DropPlan without = given;
        if (kind != ModuleKind::Mlp) without.attn.insert(i);
        if (kind != ModuleKind::Attn) without.mlp.insert(i);
        const at::Tensor log_q = log_probs(without), p = log_p.exp(), q = log_q.exp();
        const at::Tensor log_m = ((p + q) / 2).log();
        const double kl = (p * (log_p - log_q)).sum(-1).mean().item<double>();
        const double js =
            (0.5 * (p * (log_p - log_m)).sum(-1) + 0.5 * (q * (log_q - log_m)).sum(-1)).mean().item<double>();
        worst = std::max({worst, std::abs(m.kl[static_cast<size_t>(i)] - kl) / std::max(kl, 1e-3),
                          std::abs(m.js[static_cast<size_t>(i)] - js) / std::max(js, 1e-3)});
        QVERIFY(kl > 0 && js > 0 && js <= std::log(2.0));
      }
    qInfo("KL / JS per module against dropping it, max relative |Δ| %.3g", worst);
    QVERIFY(worst <= 1e-4);
    // Which modules matter: the first block changes the distribution most (as in the hook-based references).
    QVERIFY(s.block.kl[0] > s.block.kl[4]);
  }

  // FinerCut's KL / JS, Gromov's last-token distance and span choice, and the logit lens, against
  // transformers with hooks in float32 (tools/make_analysis_fixtures.py) on the test model and the demo
  // model.
  void metricsAndLensMatchTransformers_data() {
    QTest::addColumn<QString>("reference");
    QTest::addColumn<QString>("model");
    QTest::newRow("test llama") << "analysis.json"
                                << QString::fromStdString(test::model_dir("llama").string());
    QTest::newRow("demo") << "analysis_demo.json" << QString::fromStdString(test::demo_model_dir().string());
  }
  void metricsAndLensMatchTransformers() {
    QFETCH(QString, reference);
    QFETCH(QString, model);
    const auto ref = test::read_json(test::data_dir() / "reference" / reference.toStdString());
    const auto loaded = load_llama(model.toStdString());
    std::vector<at::Tensor> rows;
    for (const auto& block : ref["blocks"]) rows.push_back(at::tensor(block.get<std::vector<int64_t>>()));
    ScoreOptions options;
    options.divergence = true;
    options.consecutive = true;
    options.batch_size = 2;
    const ImportanceScores s = score_layers(*loaded, at::stack(rows), options);
    double divergence = 0, angular = 0;
    for (const auto& [name, kind] :
         {std::pair{"attn", ModuleKind::Attn}, {"mlp", ModuleKind::Mlp}, {"block", ModuleKind::Block}})
      divergence = std::max({divergence, max_diff(s.of(kind).kl, ref["divergence"]["kl"][name]),
                             max_diff(s.of(kind).js, ref["divergence"]["js"][name])});
    const auto& last = ref["scores"]["last_token_angular"];
    for (size_t i = 0; i < s.last_token_angular.size(); ++i)
      angular = std::max(angular, max_diff(s.last_token_angular[i], last[i]));
    qInfo("KL / JS max |Δ| %.3g, last-token angular max |Δ| %.3g", divergence, angular);
    QVERIFY(divergence <= 1e-5 && angular <= 1e-5);
    SelectionOptions by_last;
    by_last.metric = Metric::AngularLast;
    for (const Span& span : closest_spans(s, by_last))
      QCOMPARE(span.first, ref["angular_last_spans"][std::to_string(span.n)].get<int64_t>());

    const auto& lens = ref["lens"];
    const std::vector<LensRow> lens_rows = logit_lens(*loaded, lens["ids"].get<std::vector<int64_t>>(), 5);
    QCOMPARE(lens_rows.size(), lens["rows"].size());
    double worst = 0;
    for (size_t r = 0; r < lens_rows.size(); ++r) {
      const auto& want = lens["rows"][r];
      QCOMPARE(lens_rows[r].layer, want["layer"].get<int64_t>());
      QCOMPARE(lens_rows[r].after_mlp, want["after"] == "mlp");
      for (size_t t = 0; t < lens_rows[r].predictions.size(); ++t) {
        QCOMPARE(lens_rows[r].predictions[t].ids, want["ids"][t].get<std::vector<int64_t>>());
        for (size_t j = 0; j < 5; ++j)
          worst = std::max(
              worst, std::abs(lens_rows[r].predictions[t].probs[j] - want["probs"][t][j].get<double>()));
      }
    }
    qInfo("logit lens: %zu rows, top-5 ids equal, probabilities max |Δ| %.3g", lens_rows.size(), worst);
    QVERIFY(worst <= 1e-5);
  }

  // task:NAME: the gold requests are the gold choices the evaluator scores (their loglikelihoods are its
  // lls[gold]), and each module's NLL increase per gold-answer token equals a plain forward of context +
  // answer with that module dropped, summed by hand in float64. A dropped module is NaN; the plan is kept;
  // the task's values survive a score file.
  void taskImportanceIsTheNllIncreaseOnGoldAnswers() {
    const Checkpoint ckpt = Checkpoint::open(test::model_dir("llama"));
    const Tokenizer tokenizer = Tokenizer::open(ckpt.dir, ckpt.config);
    const auto model = load_llama();
    EvalOptions eval;
    eval.tasks = {"arc_easy"};
    eval.data.data_dirs = {test::data_dir() / "eval" / "hf"};
    eval.limit = 4;
    const GoldRequests gold = gold_requests(*model, tokenizer, eval);
    QCOMPARE(gold.documents, int64_t(4));
    QCOMPARE(gold.requests.size(), size_t(4));
    const TaskResult evaluated = evaluate(*model, tokenizer, eval).tasks.at(0);
    auto answer_nll = [&](const TokenRequest& r) {  // −log p(answer | context), float64 by hand
      std::vector<int64_t> ids = r.context;
      ids.insert(ids.end(), r.continuation.begin(), r.continuation.end());
      const at::Tensor log_p =
          at::log_softmax(model->forward(at::tensor(ids).unsqueeze(0))[0].to(at::kDouble), -1);  // (T, V)
      double nll = 0;
      for (size_t j = 0; j < r.continuation.size(); ++j)
        nll -= log_p[int64_t(r.context.size() + j) - 1][r.continuation[j]].item<double>();
      return nll;
    };
    for (size_t k = 0; k < 4; ++k) {
      const auto& record = evaluated.records[k];
      const double lls_gold = record["lls"][record["gold"].get<size_t>()].get<double>();
      QVERIFY(std::abs(-answer_nll(gold.requests[k]) - lls_gold) < 1e-4);
    }
    int64_t tokens = 0;
    for (const auto& r : gold.requests) tokens += int64_t(r.continuation.size());
    auto mean_nll = [&](const DropPlan& plan) {
      model->set_drops(plan);
      double total = 0;
      for (const auto& r : gold.requests) total += answer_nll(r);
      return total / double(tokens);
    };
    const DropPlan given{{1}, {}};
    model->set_drops(given);
    ScoringOptions scoring;
    scoring.batch_size = 3;
    const TaskImportance t = task_importance(*model, "arc_easy", 4, gold, scoring);
    QCOMPARE(model->drops(), given);
    QCOMPARE(t.tokens, tokens);
    const double base = mean_nll(given);
    double worst = std::abs(t.base_nll - base);
    for (const ModuleKind kind : {ModuleKind::Block, ModuleKind::Attn, ModuleKind::Mlp})
      for (int64_t i = 0; i < 6; ++i) {
        const ModuleScores& m = t.of(kind);
        if (is_dropped(given, kind, i)) {
          QVERIFY(std::isnan(m.nll_delta[size_t(i)]));
          continue;
        }
        worst =
            std::max(worst, std::abs(m.nll_delta[size_t(i)] - (mean_nll(toggled(given, kind, i)) - base)));
      }
    qInfo("arc_easy gold answers: %lld tokens, NLL %.4f; NLL increases against dropping by hand max |Δ| %.3g",
          static_cast<long long>(tokens), base, worst);
    QVERIFY(worst <= 1e-5);

    // In a score file, and as the scores selection reads (for_task).
    ImportanceScores scores;
    scores.block.cosine = scores.attn.cosine = scores.mlp.cosine = std::vector<double>(6, 0.5);
    scores.block.angular = scores.attn.angular = scores.mlp.angular = std::vector<double>(6, 0.2);
    scores.plan = given;
    scores.tasks = {t};
    ScoreRequest request;
    request.plan = given;
    request.tasks = {{"arc_easy", task_inputs_json("arc_easy", eval.data)}};
    request.task_limit = 4;
    const ImportanceScores back = scores_from_json(scores_to_json(scores, request, 0), 6);
    QCOMPARE(back.tasks.size(), size_t(1));
    QCOMPARE(back.tasks[0].task, std::string("arc_easy"));
    QCOMPARE(back.tasks[0].documents, int64_t(4));
    QCOMPARE(back.tasks[0].mlp.nll_delta, t.mlp.nll_delta);
    const ImportanceScores view = back.for_task("arc_easy");
    QCOMPARE(view.attn.importance(Metric::Task)[3], t.attn.nll_delta[3]);
    EXPECT_ERROR(BadInput, back.for_task("hellaswag"), "no importance for task hellaswag");
    EXPECT_ERROR(BadInput, metric_tasks("task:arc_easy,,x"), "name each task once");
    QCOMPARE(metric_tasks("task:arc_easy,hellaswag"), (std::vector<std::string>{"arc_easy", "hellaswag"}));
  }

  // The logit lens: after the last MLP it is the model's own prediction; a dropped sub-layer passes the
  // stream unchanged, so its row repeats the one before.
  void logitLensEndsAtTheModelsPrediction() {
    const auto model = load_llama();
    model->set_drops(DropPlan{{3}, {}});
    const std::vector<int64_t> ids = {1, 306, 107, 338, 263, 124};
    const std::vector<LensRow> rows = logit_lens(*model, ids, 5);
    QCOMPARE(rows.size(), size_t(12));
    const at::Tensor probs =
        at::softmax(model->forward(at::tensor(ids).unsqueeze(0)).squeeze(0).to(at::kDouble), -1);
    const auto [top, top_ids] = probs.topk(5, -1);
    const LensRow& last = rows.back();
    QVERIFY(last.after_mlp && last.layer == 5 && !last.dropped);
    for (int64_t t = 0; t < int64_t(ids.size()); ++t)
      for (int64_t j = 0; j < 5; ++j) {
        QCOMPARE(last.predictions[size_t(t)].ids[size_t(j)], top_ids[t][j].item<int64_t>());
        QVERIFY(std::abs(last.predictions[size_t(t)].probs[size_t(j)] - top[t][j].item<double>()) < 1e-9);
      }
    const LensRow &before = rows[5], &dropped = rows[6];  // layer 2's MLP, then layer 3's attention
    QVERIFY(dropped.dropped && !dropped.after_mlp && dropped.layer == 3);
    QCOMPARE(dropped.predictions[2].ids, before.predictions[2].ids);
    EXPECT_ERROR(BadInput, logit_lens(*model, {}, 5), "non-empty prompt");
    EXPECT_ERROR(BadInput, logit_lens(*model, ids, 0), "top-k");
  }

  void selectionsMatchLlmDrop() {
    const auto ref = reference()["selections"];
    const auto model = load_llama();
    const at::Tensor blocks = reference_blocks();
    ScoreOptions options;
    options.consecutive = true;
    const ImportanceScores s = score_layers(*model, blocks, options);
    const SelectionOptions plain;
    QCOMPARE(lists(select_discrete(s, {false, ModuleKind::Attn}, 2, plain)), ref["discrete_attn_2"]);
    QCOMPARE(lists(select_discrete(s, {false, ModuleKind::Mlp}, 2, plain)), ref["discrete_mlp_2"]);
    QCOMPARE(lists(select_discrete(s, {false, ModuleKind::Block}, 2, plain)), ref["discrete_block_2"]);
    QCOMPARE(lists(select_discrete(s, {true, ModuleKind::Attn}, 3, plain)), ref["joint_all_3"]);
    QCOMPARE(lists(select_consecutive(s, 2, plain)), ref["consecutive_block_2"]);
    QCOMPARE(lists(select_iterative(*model, blocks, {false, ModuleKind::Attn}, 2, {}, plain)),
             ref["iterative_attn_2"]);
    QVERIFY(model->drops().empty());
    // Guards: with the last layer kept, the two most similar attention layers other than 5 go.
    SelectionOptions keep_last;
    keep_last.keep_last = true;
    const DropPlan guarded = select_discrete(s, {false, ModuleKind::Attn}, 2, keep_last);
    QVERIFY(!guarded.attn_dropped(5) && guarded.attn.size() == 2);
    EXPECT_ERROR(BadInput, select_discrete(s, {false, ModuleKind::Attn}, 7, plain), "only 6 modules");
  }

  void togglingModules() {
    DropPlan plan = toggled({}, ModuleKind::Attn, 3);
    QCOMPARE(plan, (DropPlan{{3}, {}}));
    plan = toggled(plan, ModuleKind::Block, 3);  // attention already dropped: the block drops completely
    QCOMPARE(plan, (DropPlan{{3}, {3}}));
    plan = toggled(plan, ModuleKind::Block, 3);  // and is restored completely
    QCOMPARE(plan, DropPlan{});
    plan = toggled(toggled(plan, ModuleKind::Mlp, 1), ModuleKind::Mlp, 1);
    QCOMPARE(plan, DropPlan{});
  }

  void cancelledScoringStops() {
    const auto model = load_llama();
    JobContext job;
    job.cancel();
    EXPECT_ERROR(Cancelled, score_layers(*model, reference_blocks(), {}, job), "cancelled");
  }

  void scoreFileRoundTripAndReuse() {
    const auto model = load_llama();
    ScoreOptions options;
    options.consecutive = true;
    const ImportanceScores s = score_layers(*model, reference_blocks(), options);
    ScoreRequest request;
    request.model_dir = "m";
    request.samples = 4;
    request.seq_len = 64;
    QTemporaryDir tmp;
    const fs::path file = tmp.filePath("scores.json").toStdString();
    test::write_json(file, scores_to_json(s, request, 1.5));
    const int64_t layers = model->config().num_layers;
    const auto back = load_matching_scores(file, request, layers);
    QVERIFY(back.has_value());
    QCOMPARE(back->attn.cosine, s.attn.cosine);
    QCOMPARE(back->consecutive, s.consecutive);
    QCOMPARE(back->last_token_angular, s.last_token_angular);
    // A tampered file of another layer count, under the same request, is not reused.
    QVERIFY(!load_matching_scores(file, request, layers + 1).has_value());
    nlohmann::json shorter = scores_to_json(s, request, 1.5);
    for (const char* kind : {"block", "attn", "mlp"})
      for (const char* metric : {"cosine", "angular"}) shorter[kind][metric].erase(0);
    shorter.erase("consecutive");
    test::write_json(file, shorter);
    QVERIFY(!load_matching_scores(file, request, layers).has_value());
    test::write_json(file, scores_to_json(s, request, 1.5));
    request.seq_len = 128;  // another request: not reused
    QVERIFY(!load_matching_scores(file, request, layers).has_value());
  }

  // The same calibration text and model reached by other paths find their scores; other content does not.
  void scoreReuseFollowsContentNotPaths() {
    const auto model = load_llama();
    const ImportanceScores s = score_layers(*model, reference_blocks(), {});
    const int64_t layers = model->config().num_layers;
    ScoreRequest request;
    request.model_dir = "/models/llama";
    request.model_fingerprint = "weights-1";
    request.data_path = "/data/calib.jsonl";
    request.data_sha256 = "text-1";
    request.samples = 4;
    request.seq_len = 64;
    QTemporaryDir tmp;
    const fs::path file = tmp.filePath("scores.json").toStdString();
    test::write_json(file, scores_to_json(s, request, 1.5));

    ScoreRequest moved = request;
    moved.data_path = "/elsewhere/copy-of-calib.jsonl";
    moved.model_dir = "/cache/snapshots/abc";
    QVERIFY(load_matching_scores(file, moved, layers).has_value());
    QCOMPARE(score_cache_path(moved), score_cache_path(request));

    ScoreRequest other_text = moved;
    other_text.data_sha256 = "text-2";
    QVERIFY(!load_matching_scores(file, other_text, layers).has_value());
    QVERIFY(score_cache_path(other_text) != score_cache_path(request));
    ScoreRequest other_weights = moved;
    other_weights.model_fingerprint = "weights-2";
    QVERIFY(!load_matching_scores(file, other_weights, layers).has_value());

    // Without content hashes the paths are all there is to go by.
    ScoreRequest unhashed = request;
    unhashed.data_sha256.clear();
    unhashed.model_fingerprint.clear();
    test::write_json(file, scores_to_json(s, unhashed, 1.5));
    QVERIFY(load_matching_scores(file, unhashed, layers).has_value());
    ScoreRequest unhashed_moved = unhashed;
    unhashed_moved.data_path = moved.data_path;
    QVERIFY(!load_matching_scores(file, unhashed_moved, layers).has_value());
  }

  void malformedScoreFilesAreExplained() {
    const auto model = load_llama();
    ScoreOptions options;
    options.consecutive = true;
    nlohmann::json j = scores_to_json(score_layers(*model, reference_blocks(), options), {}, 0);
    QCOMPARE(scores_from_json(j, 6).consecutive.size(), size_t(6));
    auto broken = j;
    broken["consecutive"][2] = nlohmann::json::array();  // a short row would be read past its end
    EXPECT_ERROR(BadInput, scores_from_json(broken, 6), "consecutive[2]' must be a list of 4 numbers");
    broken = j;
    broken["attn"]["cosine"][1] = "high";
    EXPECT_ERROR(BadInput, scores_from_json(broken, 6), "holds a non-number");
    EXPECT_ERROR(BadInput, scores_from_json(j, 7), "must be a list of 7 numbers");
    broken = j;
    broken["request"] = 5;
    EXPECT_ERROR(BadInput, scores_from_json(broken, 6), "score file: request must be a JSON object");
  }

  void tokenIdsOutsideTheVocabularyAreRejected() {
    const auto model = load_llama();
    EXPECT_ERROR(BadInput, score_layers(*model, at::full({2, 8}, 384, at::kLong), {}),
                 "tokenizer does not match");
  }

  void exportsNeverWriteIntoTheSource() {
    QTemporaryDir tmp;
    const fs::path source = fs::path(tmp.path().toStdString()) / "model";
    test::copy_model("llama", source);
    const std::string before = test::tree_digest(source);
    EXPECT_ERROR(BadInput,
                 export_drop_config(Checkpoint::open(source), DropPlan{{1}, {}}, source / "sub", {}),
                 "is inside the source model folder");
    EXPECT_ERROR(BadInput, export_pruned(Checkpoint::open(source), DropPlan{{1}, {1}}, source, {}),
                 "is inside the source model folder");
    QCOMPARE(test::tree_digest(source), before);
  }

  void prunedExportHandlesStrayLayerTensors() {
    // A sharded copy of the llama fixture with one extra per-layer buffer in a second shard, like the
    // rotary_emb.inv_freq older checkpoints carry.
    QTemporaryDir tmp;
    const fs::path dir = fs::path(tmp.path().toStdString()) / "model";
    test::copy_model("llama", dir);
    const auto names = Checkpoint::open(dir).tensors->names();
    fs::rename(dir / "model.safetensors", dir / "model-00001-of-00002.safetensors");
    const std::string header =
        R"({"model.layers.3.self_attn.rotary_emb.inv_freq":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
    std::string bytes(8, '\0');
    const uint64_t n = header.size();
    std::memcpy(bytes.data(), &n, 8);
    test::write_file(dir / "model-00002-of-00002.safetensors", bytes + header + std::string(8, '\0'));
    nlohmann::json index = {{"weight_map", nlohmann::json::object()}};
    for (const auto& name : names) index["weight_map"][name] = "model-00001-of-00002.safetensors";
    index["weight_map"]["model.layers.3.self_attn.rotary_emb.inv_freq"] = "model-00002-of-00002.safetensors";
    test::write_json(dir / "model.safetensors.index.json", index);
    const fs::path out = fs::path(tmp.path().toStdString()) / "pruned";
    export_pruned(Checkpoint::open(dir), DropPlan{{3}, {3}}, out, {});
    const Checkpoint pruned = Checkpoint::open(out);
    QCOMPARE(pruned.config.num_layers, int64_t(5));
    for (const auto& name : pruned.tensors->names())
      QVERIFY2(name.find("rotary_emb") == std::string::npos, name.c_str());
    // A tensor of a layer the config does not have: refused, and nothing is left behind.
    index["weight_map"]["model.layers.9.self_attn.rotary_emb.inv_freq"] = "model-00002-of-00002.safetensors";
    test::write_file(dir / "model-00002-of-00002.safetensors", [&] {
      const std::string h =
          R"({"model.layers.3.self_attn.rotary_emb.inv_freq":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"model.layers.9.self_attn.rotary_emb.inv_freq":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})";
      std::string b(8, '\0');
      const uint64_t len = h.size();
      std::memcpy(b.data(), &len, 8);
      return b + h + std::string(16, '\0');
    }());
    test::write_json(dir / "model.safetensors.index.json", index);
    const fs::path out2 = fs::path(tmp.path().toStdString()) / "pruned2";
    EXPECT_ERROR(BadInput, export_pruned(Checkpoint::open(dir), DropPlan{{3}, {3}}, out2, {}),
                 "field 'num_hidden_layers' is 6, but the weights hold tensor 'model.layers.9.");
    QVERIFY(!fs::exists(out2));
    for (const auto& e : fs::directory_iterator(tmp.path().toStdString()))
      QVERIFY2(e.path().filename().string().find(".partial") == std::string::npos, e.path().c_str());
  }

  void configExportRoundTrip() {
    QTemporaryDir tmp;
    const fs::path source = test::model_dir("llama"), out = fs::path(tmp.path().toStdString()) / "dropped";
    const std::string before = test::tree_digest(source);
    const DropPlan plan{{4, 1}, {5}};
    export_drop_config(Checkpoint::open(source), plan, out, {{"why", "test"}});
    QCOMPARE(test::tree_digest(source), before);
    const auto config = test::read_json(out / "config.json");
    QCOMPARE(config["drop_attn_list"], nlohmann::json({1, 4}));
    QCOMPARE(config["auto_map"]["AutoModelForCausalLM"].get<std::string>(),
             std::string("modeling_dropped_llama.LlamaForCausalLM"));
    QCOMPARE(Checkpoint::open(out).config.drops, plan);  // loads back with the same drops
    QVERIFY(fs::is_symlink(out / "model.safetensors"));
    EXPECT_ERROR(BadInput, export_drop_config(Checkpoint::open(source), plan, out, {}),
                 "not an empty directory");
    EXPECT_ERROR(BadInput, export_drop_config(Checkpoint::open(source), plan, source, {}),
                 "is inside the source model folder");
    QCOMPARE(test::tree_digest(source), before);
  }

  // The impact estimate against the tiny llama's shape counted by hand: hidden 64, intermediate 128, 4 heads
  // and 2 KV heads of 16, vocabulary 384, 6 layers, untied.
  void impactEstimateMatchesHandCount() {
    const auto s = summarize(Checkpoint::open(test::model_dir("llama")), DropPlan{{1}, {}}, "float32");
    const llmdrop::PlanImpact impact = llmdrop::estimate_impact(s, 256);
    const int64_t attention = 64 * 64 + 2 * (32 * 64) + 64 * 64 + 64;  // q, k, v, o + its input norm = 12352
    const int64_t layer = attention + 3 * 64 * 128 + 64;               // + MLP and its norm = 36992
    const int64_t total = 2 * 384 * 64 + 64 + 6 * layer;               // + embedding, lm_head, norm
    QCOMPARE(impact.parameters_removed, attention);
    QCOMPARE(impact.parameters_removed_fraction, double(attention) / double(total));
    QCOMPARE(impact.kv_bytes_saved_per_token, int64_t(2 * 2 * 16 * 4));  // K and V of one layer, fp32
    QCOMPARE(impact.kv_saved_fraction, 1.0 / 6.0);
    // Bytes per decode step: every weight but the (gathered) embedding table, plus 256 cached positions.
    const double full = double(total - 384 * 64) * 4 + 6 * 256.0 * 256;
    const double dropped = double(total - 384 * 64 - attention) * 4 + 5 * 256.0 * 256;
    QCOMPARE(impact.estimated_decode_speedup, full / dropped);
  }

  // Cancelled between tensors (here after the third), a pruned export leaves neither the output folder nor a
  // staging folder behind, and the source untouched.
  void cancelledPrunedExportLeavesNothing() {
    QTemporaryDir tmp;
    const fs::path source = test::model_dir("llama"), parent = tmp.path().toStdString(),
                   out = parent / "pruned";
    const std::string before = test::tree_digest(source);
    int64_t reports = 0, total = 0;
    JobContext job;
    JobContext reporting(job, [&](const Progress& p) {
      total = p.total;
      if (++reports == 3) job.cancel();
    });
    EXPECT_ERROR(Cancelled, export_pruned(Checkpoint::open(source), DropPlan{{1}, {1}}, out, {}, reporting),
                 "cancelled");
    QCOMPARE(reports, int64_t(3));
    QVERIFY(total > 3);
    QVERIFY(!fs::exists(out));
    QVERIFY(fs::is_empty(parent));
    QCOMPARE(test::tree_digest(source), before);
  }

  void prunedExportsLoadWithTheSameNumbers_data() {
    QTest::addColumn<QString>("attn");
    QTest::addColumn<QString>("mlp");
    QTest::newRow("whole blocks 2,4") << "2,4"
                                      << "2,4";
    QTest::newRow("attention 1,5 and MLP 3") << "1,5"
                                             << "3";
  }
  void prunedExportsLoadWithTheSameNumbers() {
    QFETCH(QString, attn);
    QFETCH(QString, mlp);
    const DropPlan plan{DropPlan::parse_csv(attn.toStdString(), "a"),
                        DropPlan::parse_csv(mlp.toStdString(), "m")};
    QTemporaryDir tmp;
    const fs::path source = test::model_dir("llama"), out = fs::path(tmp.path().toStdString()) / "pruned";
    const std::string before = test::tree_digest(source);
    export_pruned(Checkpoint::open(source), plan, out, {});
    QCOMPARE(test::tree_digest(source), before);
    const Checkpoint pruned = Checkpoint::open(out);
    const bool blocks_only = plan.attn == plan.mlp;
    QCOMPARE(pruned.config.num_layers, blocks_only ? int64_t(6 - plan.attn.size()) : int64_t(6));
    QVERIFY(blocks_only ? pruned.config.drops.empty() : pruned.config.drops == plan);
    QVERIFY(!pruned.tensors->contains("model.layers.5.self_attn.q_proj.weight") || !blocks_only);
    const std::vector<int64_t> ids = {1, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120};
    LoadOptions with_drops;
    with_drops.dtype = "float32";
    with_drops.drops = plan;
    const auto expected = next_token_logprobs(*Model::load(Checkpoint::open(source), with_drops), ids);
    const auto got = next_token_logprobs(*load_llama(out), ids);
    double worst = 0;
    for (size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::abs(got[i] - expected[i]));
    QVERIFY2(worst <= 1e-5, QByteArray::number(worst));
  }
};

QTEST_GUILESS_MAIN(AnalysisTest)
#include "tst_analysis.moc"
