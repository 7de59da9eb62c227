// Sessions: one resident model serves every job; a job's plan is applied by freeing or loading only the
// changed modules, and gives what a model freshly loaded with that plan gives. Jobs run one at a time, in
// order.
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <cmath>
#include <fstream>
#include <mutex>
#include <thread>

#include "checkpoint/checkpoint.h"
#include "checkpoint/tokenizer.h"
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
};

QTEST_GUILESS_MAIN(SessionTest)
#include "tst_session.moc"
