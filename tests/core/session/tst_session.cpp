// Sessions: one resident model serves every job; a job's plan is applied by freeing or loading only the
// changed modules, and gives what a model freshly loaded with that plan gives. Jobs run one at a time, in
// order.
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <cmath>
#include <fstream>
#include <mutex>
#include <thread>

#include "checkpoint/checkpoint.h"
#include "checkpoint/tokenizer.h"
#include "export/exporter.h"
#include "model/model.h"
#include "session/jobs.h"
#include "support/test_support.h"

using namespace llmdrop;
namespace fs = std::filesystem;

namespace {
const fs::path kText = test::data_dir() / ".." / ".." / "resources" / "text" / "demo_heldout.txt";

ScoreJob score_job(const DropPlan& drops) {
  ScoreJob request;
  request.data = test::data_dir() / "calibration" / "calib.jsonl";
  request.samples = 3;
  request.seq_len = 48;
  request.drops = drops;
  return request;
}
}  // namespace

class SessionTest : public QObject {
  Q_OBJECT

 private slots:
  // Toggling plans on one model gives, plan by plan, what a model loaded with that plan gives.
  void changedPlansMatchFreshLoads() {
    const Checkpoint checkpoint = Checkpoint::open(test::model_dir("llama"));
    Session session(checkpoint, {test::test_device(), "float32"}, {});
    const std::vector<DropPlan> plans = {{{2}, {}}, {{2, 4}, {1}}, {}, {{}, {0, 5}}, {{2}, {}}};
    for (const DropPlan& plan : plans) {
      Session fresh(checkpoint, {test::test_device(), "float32"}, plan);
      const double ours = text_perplexity(session, plan, kText, 300, 128, JobContext::silent()).ppl;
      const double theirs = text_perplexity(fresh, plan, kText, 300, 128, JobContext::silent()).ppl;
      QCOMPARE(ours, theirs);
      const auto a = score(session, score_job(plan), JobContext::silent());
      const auto b = score(fresh, score_job(plan), JobContext::silent());
      QCOMPARE(a.attn.cosine.size(), size_t(6));
      for (size_t i = 0; i < 6; ++i) {
        const double x = a.block.cosine[i], y = b.block.cosine[i];
        QVERIFY2((std::isnan(x) && std::isnan(y)) || x == y, qPrintable(QString("%1 vs %2").arg(x).arg(y)));
      }
      QCOMPARE(generate_text(session, plan, "Once", 8, JobContext::silent()),
               generate_text(fresh, plan, "Once", 8, JobContext::silent()));
    }
  }

  // A session whose layers stream (one layer's weights on the device at a time, every sequence passing it
  // before the next) gives the resident session's numbers on the demo model: similarities, NLL, perplexity
  // generated text and lm-eval-style log-likelihoods, with and without drops.
  // Streamed, hidden states that would take more than half of the device's free memory wait between layers in
  // host memory (LLMDROP_MEMORY_LIMIT stands for a small device: 16 MB holds the demo model's embeddings,
  // head and two layers in float32, 12.9 MB, but not 64 × 128 hidden states of 256 floats, 8.4 MB, twice):
  // the same scores as when they stay.
  void streamedHiddenStatesWaitInHostMemoryWhenTheyCrowdTheDevice() {
    const Checkpoint demo =
        Checkpoint::open(test::data_dir() / ".." / ".." / "resources" / "models" / "demo");
    ScoreJob request = score_job({});
    request.samples = 64;
    request.seq_len = 128;
    const SessionOptions streamed{test::test_device(), "float32", /*stream_layers=*/true};
    auto stream_times = [](Session& session) {
      return session.run(JobContext::silent(), [](const Model& m) { return m.stream_times(); });
    };
    Session kept(demo, streamed, {});
    const ImportanceScores on_device = score(kept, request, JobContext::silent());
    QCOMPARE(stream_times(kept).hidden_on_host, int64_t(0));
    qputenv("LLMDROP_MEMORY_LIMIT", "16000000");
    const auto unset = qScopeGuard([] { qunsetenv("LLMDROP_MEMORY_LIMIT"); });
    Session parked(demo, streamed, {});
    const ImportanceScores on_host = score(parked, request, JobContext::silent());
    QCOMPARE(stream_times(parked).hidden_on_host, int64_t(64 * 128 * 256 * 4));
    QCOMPARE(on_host.base_nll, on_device.base_nll);
    for (const ModuleKind kind : {ModuleKind::Block, ModuleKind::Attn, ModuleKind::Mlp})
      QCOMPARE(on_host.of(kind).cosine, on_device.of(kind).cosine);
  }

  void streamedLayersGiveTheResidentNumbers() {
    const Checkpoint demo =
        Checkpoint::open(test::data_dir() / ".." / ".." / "resources" / "models" / "demo");
    Session resident(demo, {test::test_device(), "float32"}, {});
    Session streamed(demo, {test::test_device(), "float32", /*stream_layers=*/true}, {});
    QVERIFY(streamed.run(JobContext::silent(), [](const Model& m) { return m.resident_parameters(); }) <
            resident.run(JobContext::silent(), [](const Model& m) { return m.resident_parameters(); }) / 2);
    double worst = 0;
    for (const DropPlan& plan : {DropPlan{}, DropPlan{{3, 7}, {5}}}) {
      ScoreJob request = score_job(plan);
      request.options.batch_size = 2;  // two batches of 3 blocks: the layer-major order spans batches
      const auto a = score(resident, request, JobContext::silent());
      const auto b = score(streamed, request, JobContext::silent());
      worst = std::max(worst, std::abs(a.base_nll - b.base_nll));
      for (const ModuleKind kind : {ModuleKind::Block, ModuleKind::Attn, ModuleKind::Mlp})
        for (size_t i = 0; i < 12; ++i) {
          const double x = a.of(kind).cosine[i], y = b.of(kind).cosine[i];
          QVERIFY2(std::isnan(x) == std::isnan(y), qPrintable(QString("layer %1").arg(i)));
          if (!std::isnan(x)) worst = std::max(worst, std::abs(x - y));
        }
      const double ppl_resident = text_perplexity(resident, plan, kText, 600, 128, JobContext::silent()).ppl;
      const double ppl_streamed = text_perplexity(streamed, plan, kText, 600, 128, JobContext::silent()).ppl;
      worst = std::max(worst, std::abs(ppl_resident - ppl_streamed) / ppl_resident);
      QCOMPARE(generate_text(streamed, plan, "The file", 8, JobContext::silent()),
               generate_text(resident, plan, "The file", 8, JobContext::silent()));
    }
    // lm-eval-style loglikelihood requests, several batches per pass over the streamed layers.
    EvalOptions eval;
    eval.tasks = {"arc_easy", "hellaswag"};
    eval.data.data_dirs = {test::data_dir() / "eval" / "hf"};
    eval.limit = 12;
    eval.batch_size = 2;
    const EvalResults by_resident = evaluate(resident, {{3}, {}}, eval, JobContext::silent()),
                      by_streamed = evaluate(streamed, {{3}, {}}, eval, JobContext::silent());
    for (size_t t = 0; t < by_resident.tasks.size(); ++t)
      for (size_t d = 0; d < by_resident.tasks[t].records.size(); ++d) {
        const auto a = by_resident.tasks[t].records[d]["lls"].get<std::vector<double>>(),
                   b = by_streamed.tasks[t].records[d]["lls"].get<std::vector<double>>();
        for (size_t c = 0; c < a.size(); ++c) worst = std::max(worst, std::abs(a[c] - b[c]));
      }
    qInfo("largest difference streamed vs resident: %.3g", worst);
    // Each layer was loaded on the helper thread while the one before ran: the computation waited for less
    // than the loading took (loaded in turn, it would wait for all of it).
    const auto times = streamed.run(JobContext::silent(), [](const Model& m) { return m.stream_times(); });
    qInfo("streamed layers: %.4f s loading, %.4f s waited for", times.loading, times.waited);
    QVERIFY(times.loading > 0);
    QVERIFY2(times.waited >= 0 && times.waited < times.loading,
             qPrintable(QString("waited %1 s of %2 s").arg(times.waited).arg(times.loading)));
    QVERIFY2(worst <= 1e-6, qPrintable(QString::number(worst)));
    // With too little memory for the resident model, a session that may stream does; one that may not is
    // refused before loading.
    qputenv("LLMDROP_MEMORY_LIMIT", "20000000");  // 20 MB: the demo needs 31 MB resident, 9 MB streamed
    QVERIFY(Session(demo, {test::test_device(), "float32", false, /*stream_if_needed=*/true}, {}).streamed());
    EXPECT_ERROR(BadInput, Session(demo, {test::test_device(), "float32"}, {}),
                 "the model needs 31 MB of weights on cpu, which has 20 MB free: use --stream-layers (two "
                 "layers at a time: 9 MB)");
    qunsetenv("LLMDROP_MEMORY_LIMIT");
    QVERIFY(!Session(demo, {test::test_device(), "float32", false, true}, {}).streamed());
    ScoreJob consecutive = score_job({});
    consecutive.options.consecutive = true;
    EXPECT_ERROR(BadInput, score(streamed, consecutive, JobContext::silent()), "without --stream-layers");
  }

  // Jobs take turns in the order they were submitted; one cancelled while waiting leaves the queue at once
  // and does not hold up the ones behind it.
  void jobsRunOneAtATimeInOrder() {
    Session session(Checkpoint::open(test::model_dir("llama")), {"cpu", "float32"}, {});
    std::mutex order_mutex;
    std::vector<int> order;
    std::atomic<int> running{0}, most_at_once{0};
    JobContext first_job;
    std::atomic<bool> first_started{false}, release_first{false};
    std::thread first([&] {
      session.run(first_job, [&](Model&) {
        first_started = true;
        while (!release_first) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return 0;
      });
    });
    while (!first_started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    JobContext doomed;
    std::atomic<bool> doomed_cancelled{false};
    std::thread waiting([&] {
      try {
        session.run(doomed, [&](Model&) { return 0; });
      } catch (const Error& e) {
        doomed_cancelled = e.kind() == Error::Kind::Cancelled;
      }
    });
    std::vector<std::thread> queued;
    for (int k = 0; k < 4; ++k) {
      queued.emplace_back([&, k] {
        JobContext job;
        session.run(job, [&](Model&) {
          const int now = ++running;
          most_at_once = std::max(most_at_once.load(), now);
          {
            const std::lock_guard lock(order_mutex);
            order.push_back(k);
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
          --running;
          return 0;
        });
      });
      std::this_thread::sleep_for(std::chrono::milliseconds(30));  // submitted in order k
    }
    doomed.cancel();
    waiting.join();
    QVERIFY(doomed_cancelled);
    QVERIFY(order.empty());  // still behind the first job
    release_first = true;
    first.join();
    for (auto& t : queued) t.join();
    QCOMPARE(order, (std::vector<int>{0, 1, 2, 3}));
    QCOMPARE(most_at_once.load(), 1);
  }

  // The workbench's held-out perplexity: the last max_tokens tokens of a text, with the plan's drops; over
  // the whole text it is perplexity() of the model loaded with those drops.
  void textPerplexityScoresTheTail() {
    QTemporaryDir tmp;
    const std::string words =
        "The license grants permission to use the software. Copies of the software must include the notice. "
        "The authors are not liable for any claim arising from it.";
    const fs::path text = fs::path(tmp.path().toStdString()) / "text.txt";
    std::ofstream(text) << words;
    const Checkpoint ckpt = Checkpoint::open(test::model_dir("llama"));
    Session session(ckpt, {"cpu", "auto"}, {});
    const DropPlan plan{{1}, {}};
    const auto all = text_perplexity(session, plan, text, 100000, 16, JobContext::silent());
    const auto tail = text_perplexity(session, plan, text, 20, 16, JobContext::silent());
    QCOMPARE(tail.tokens, int64_t(20));  // 20 tokens, each predicted (BOS starts every window)
    QVERIFY(all.tokens > tail.tokens);
    LoadOptions options;
    options.dtype = "float32";
    options.drops = plan;
    const auto model = Model::load(ckpt, options);
    const auto tok = Tokenizer::open(ckpt.dir, ckpt.config);
    QCOMPARE(all.ppl, perplexity(*model, tok.encode(words), tok.bos_id(), 16).ppl);
    QVERIFY(std::abs(all.ppl - text_perplexity(session, {}, text, 100000, 16, JobContext::silent()).ppl) >
            1e-6);
  }

  void scoresAreKeptByRequest() {
    Session session(Checkpoint::open(test::model_dir("llama")), {"cpu", "float32"}, {});
    QVERIFY(!session.scores("a").has_value());
    ImportanceScores s;
    s.tokens = 7;
    session.keep_scores("a", s);
    QCOMPARE(session.scores("a")->tokens, int64_t(7));
    QVERIFY(!session.scores("b").has_value());
    QCOMPARE(session.dtype(), std::string("float32"));
    QCOMPARE(session.device(), std::string("cpu"));
  }

  // The decode speedup alternates the two plans until the last pairs agree within the spread asked for, or
  // says it could not settle; the session is left at the plan.
  void speedupIsMeasuredInterleavedUntilSettled() {
    Session session(Checkpoint::open(test::model_dir("llama")), {"cpu", "float32"}, {});
    const DropPlan everything{{0, 1, 2, 3, 4, 5}, {0, 1, 2, 3, 4, 5}};
    SpeedupOptions options;
    options.round = {16, 8};
    options.min_pairs = 3;
    options.max_pairs = 6;
    std::vector<Progress> reports;
    std::vector<SpeedupMeasurement> so_far;
    options.on_pair = [&](const SpeedupMeasurement& figure) { so_far.push_back(figure); };
    JobContext job(JobContext::silent(), [&](const Progress& p) { reports.push_back(p); });
    const SpeedupMeasurement m = measure_speedup(session, {}, everything, options, job);
    // A figure after every pair but the last, none of them settled.
    QCOMPARE(so_far.size(), size_t(m.pairs - 1));
    for (size_t i = 0; i < so_far.size(); ++i) {
      QCOMPARE(so_far[i].pairs, int(i + 1));
      QVERIFY(!so_far[i].settled);
      QVERIFY(so_far[i].speedup_min <= so_far[i].speedup && so_far[i].speedup <= so_far[i].speedup_max);
    }
    options.on_pair = {};
    QVERIFY(m.pairs >= options.min_pairs && m.pairs <= options.max_pairs);
    QVERIFY(m.settled || m.pairs == options.max_pairs);
    QCOMPARE(m.settled, m.spread() <= options.max_spread);
    QVERIFY(m.speedup_min <= m.speedup && m.speedup <= m.speedup_max);
    QVERIFY(m.baseline_tokens_per_second > 0 && m.plan_tokens_per_second > 0);
    // Embeddings and the head alone decode faster than six layers more.
    QVERIFY2(m.speedup_max > 1.0, qPrintable(QString::number(m.speedup_max)));
    QCOMPARE(reports.back().message, std::string(m.settled ? "settled" : "too noisy"));
    QCOMPARE(session.run(JobContext::silent(), [](Model& model) { return model.drops(); }), everything);

    options.max_pairs = 2;  // fewer pairs than the agreement needs
    EXPECT_ERROR(BadInput, measure_speedup(session, {}, everything, options, JobContext::silent()),
                 "at least one pair");
  }

  // A pruned export holds no weights for what it dropped: its "full" model keeps them dropped, and a plan
  // that would bring them back is refused by name instead of failing on a missing tensor.
  void exportsKeepTheirDropsDropped() {
    const Checkpoint source = Checkpoint::open(test::model_dir("llama"));
    QTemporaryDir tmp;
    const fs::path out = fs::path(tmp.path().toStdString()) / "pruned";
    export_pruned(source, {{3}, {1}}, out, {});
    const Checkpoint pruned = Checkpoint::open(out);
    const DropPlan baseline = modules_without_weights(pruned);
    QCOMPARE(baseline, (DropPlan{{3}, {1}}));
    QCOMPARE(modules_without_weights(source), DropPlan{});
    Session session(pruned, {"cpu", "float32"}, baseline);
    Session reference(source, {"cpu", "float32"}, baseline);
    QCOMPARE(text_perplexity(session, baseline, kText, 200, 64, JobContext::silent()).ppl,
             text_perplexity(reference, baseline, kText, 200, 64, JobContext::silent()).ppl);
    EXPECT_ERROR(BadInput, text_perplexity(session, {{3}, {}}, kText, 200, 64, JobContext::silent()),
                 "holds no weights for the MLP of layers 1");
    EXPECT_ERROR(BadInput, Session(pruned, {"cpu", "float32"}, {}),
                 "holds no weights for the attention of layers 3 and the MLP of layers 1");
    const DropPlan more{{2, 3}, {1}};
    QCOMPARE(text_perplexity(session, more, kText, 200, 64, JobContext::silent()).ppl,
             text_perplexity(reference, more, kText, 200, 64, JobContext::silent()).ppl);
  }
};

QTEST_GUILESS_MAIN(SessionTest)
#include "tst_session.moc"
