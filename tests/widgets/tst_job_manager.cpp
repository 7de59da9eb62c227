// The job manager: work runs off the UI thread, progress and outcome arrive as signals on the UI thread.
#include <QSignalSpy>
#include <QThread>
#include <QtTest>
#include <atomic>
#include <memory>
#include <stdexcept>

#include "job_manager.h"
#include "util/error.h"

using llmdrop::JobContext;
using llmdrop::widgets::JobManager;

class JobManagerTest : public QObject {
  Q_OBJECT

 private slots:
  void progressAndSuccessArriveOnTheUiThread() {
    JobManager jobs;
    QSignalSpy progress(&jobs, &JobManager::progressed), done(&jobs, &JobManager::succeeded);
    std::atomic<bool> off_ui_thread{false};
    QThread* ui = QThread::currentThread();
    const int id = jobs.start("count", [&](JobContext& job) {
      off_ui_thread = QThread::currentThread() != ui;
      for (int i = 1; i <= 3; ++i) job.report(i, 3, "step " + std::to_string(i));
    });
    QVERIFY(jobs.is_running(id));
    QCOMPARE(jobs.title(id), QString("count"));
    QVERIFY(done.wait(5000));
    QVERIFY(off_ui_thread);
    QCOMPARE(done.takeFirst().at(0).toInt(), id);
    QCOMPARE(progress.size(), 3);
    QCOMPARE(progress.last().at(1).toLongLong(), 3);
    QCOMPARE(progress.last().at(3).toString(), QString("step 3"));
    QVERIFY(!jobs.is_running(id));
  }

  void cancelStopsBetweenSteps() {
    JobManager jobs;
    QSignalSpy cancelled(&jobs, &JobManager::cancelled), done(&jobs, &JobManager::succeeded);
    std::atomic<int> steps{0};
    const int id = jobs.start("long", [&](JobContext& job) {
      for (int i = 0; i < 500; ++i) {  // 5 s if never cancelled
        job.throw_if_cancelled();
        ++steps;
        QThread::msleep(10);
      }
    });
    QTest::qWait(50);
    jobs.cancel(id);
    QVERIFY(cancelled.wait(2000));
    QCOMPARE(done.size(), 0);
    QVERIFY(steps < 500);
  }

  void errorsBecomeMessages() {
    JobManager jobs;
    QSignalSpy failed(&jobs, &JobManager::failed);
    jobs.start("bad", [](JobContext&) { llmdrop::throw_bad_input("no config.json in /nowhere"); });
    jobs.start("worse", [](JobContext&) { throw std::runtime_error("out of memory"); });
    QVERIFY(failed.wait(2000));
    if (failed.size() < 2) QVERIFY(failed.wait(2000));
    QStringList messages = {failed.at(0).at(1).toString(), failed.at(1).at(1).toString()};
    messages.sort();
    QCOMPARE(messages, (QStringList{"no config.json in /nowhere", "out of memory"}));
    QCOMPARE(jobs.running_count(), 0);
  }

  // A handler that throws on the UI thread (Qt would abort) fails the job with its message: failed after
  // succeeded, the failed handler runs, and a failed handler that throws is reported as failed too.
  void throwingHandlersFailTheJob() {
    JobManager jobs;
    QSignalSpy done(&jobs, &JobManager::succeeded), failed(&jobs, &JobManager::failed);
    QString handled;
    jobs.start("shown badly", [](JobContext&) {},
               {[] { llmdrop::throw_bad_input("nll-delta scores were not computed"); },
                [&](const QString& message) { handled = message; },
                {}});
    QVERIFY(failed.wait(2000));
    QCOMPARE(done.size(), 1);
    QCOMPARE(failed.takeFirst().at(1).toString(), QString("nll-delta scores were not computed"));
    QCOMPARE(handled, QString("nll-delta scores were not computed"));
    jobs.start("reported badly", [](JobContext&) { throw std::runtime_error("disk full"); },
               {{}, [](const QString&) { throw std::runtime_error("no window"); }, {}});
    QVERIFY(failed.wait(2000));
    QTRY_COMPARE(failed.size(), 2);
    QCOMPARE(failed.at(0).at(1).toString(), QString("disk full"));
    QCOMPARE(failed.at(1).at(1).toString(), QString("no window"));
    QCOMPARE(jobs.running_count(), 0);
  }

  // A job's value arrives, typed, on the UI thread; once the handlers' guard is destroyed none of them runs.
  void valuesGoToHandlersWhileTheirGuardLives() {
    JobManager jobs;
    QSignalSpy done(&jobs, &JobManager::succeeded);
    auto guard = std::make_unique<QObject>();
    QThread* ui = QThread::currentThread();
    QString received;
    jobs.start<QString>(
        "answer", guard.get(), [](JobContext&) { return QString("42"); },
        {[&](const QString& value) { received = QThread::currentThread() == ui ? value : ""; }, {}, {}});
    QVERIFY(done.wait(2000));
    QCOMPARE(received, QString("42"));
    bool called = false;
    jobs.start<int>(
        "closed window", guard.get(),
        [](JobContext&) -> int {
          QThread::msleep(50);
          throw std::runtime_error("too late");
        },
        {[&](const int&) { called = true; }, [&](const QString&) { called = true; }, [&] { called = true; }});
    guard.reset();
    QSignalSpy failed(&jobs, &JobManager::failed);
    QVERIFY(failed.wait(2000));
    QVERIFY(!called);
  }

  void destroyingTheManagerCancelsAndWaits() {
    std::atomic<bool> finished{false};
    {
      JobManager jobs;
      jobs.start("long", [&](JobContext& job) {
        while (!job.cancelled()) QThread::msleep(5);
        finished = true;
      });
      QTest::qWait(20);
    }
    QVERIFY(finished);
  }
};

QTEST_MAIN(JobManagerTest)
#include "tst_job_manager.moc"
