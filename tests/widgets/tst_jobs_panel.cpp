// The jobs panel: a row per job with progress, time left and a Cancel button that really cancels; the log
// records how each job ended; however small, it has room for four jobs.
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>
#include <thread>

#include "job_manager.h"
#include "jobs_panel.h"
#include "util/error.h"

using llmdrop::JobContext;
using llmdrop::widgets::JobManager;
using llmdrop::widgets::JobsPanel;

class JobsPanelTest : public QObject {
  Q_OBJECT

 private slots:
  void timeLeftIsProportional() {
    QCOMPARE(JobsPanel::seconds_left(1, 4, 2.0), 6.0);  // a quarter took 2 s: three more quarters
    QCOMPARE(JobsPanel::seconds_left(4, 4, 2.0), 0.0);
    QVERIFY(JobsPanel::seconds_left(0, 4, 2.0) < 0);  // nothing done yet: unknown
    QVERIFY(JobsPanel::seconds_left(3, 0, 2.0) < 0);  // no total: unknown
  }

  void smallestPanelShowsFourJobs() {
    JobManager jobs;
    JobsPanel panel(&jobs);
    panel.resize(panel.minimumSizeHint());
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVERIFY2(panel.visible_rows() >= 4, qPrintable(QString::number(panel.visible_rows())));
  }

  void cancelButtonStopsTheJob() {
    JobManager jobs;
    JobsPanel panel(&jobs);
    QSignalSpy progress(&jobs, &JobManager::progressed), cancelled(&jobs, &JobManager::cancelled);
    const int id = jobs.start("endless", [](JobContext& job) {
      for (int64_t i = 1;; ++i) {
        job.throw_if_cancelled();
        job.report(std::min<int64_t>(i, 9), 10, "step " + std::to_string(i));
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
    QCOMPARE(panel.rows(), 1);
    QVERIFY(progress.wait(5000));
    QTRY_VERIFY(panel.status_text(id).contains("step"));
    QVERIFY2(panel.status_text(id).contains("%"), qPrintable(panel.status_text(id)));
    QVERIFY(panel.cancel_button(id)->isEnabled());
    QTest::mouseClick(panel.cancel_button(id), Qt::LeftButton);
    QVERIFY(cancelled.wait(5000));
    QCOMPARE(panel.status_text(id), QString("cancelled"));
    QVERIFY(!panel.cancel_button(id)->isEnabled());
    QVERIFY(panel.log_text().contains("endless: cancelled"));
    QVERIFY(!jobs.is_running(id));
  }

  void failuresAndSuccessesAreShown() {
    JobManager jobs;
    JobsPanel panel(&jobs);
    QSignalSpy failed(&jobs, &JobManager::failed), done(&jobs, &JobManager::succeeded);
    const int bad = jobs.start("bad", [](JobContext&) { llmdrop::throw_bad_input("the file is corrupt"); });
    QVERIFY(failed.wait(5000));
    const int good = jobs.start("good", [](JobContext& job) { job.report(1, 1, "one"); });
    QVERIFY(done.wait(5000));
    QCOMPARE(panel.rows(), 2);
    QCOMPARE(panel.status_text(bad), QString("failed: the file is corrupt"));
    QVERIFY2(panel.status_text(good).startsWith("done in"), qPrintable(panel.status_text(good)));
    QVERIFY(panel.log_text().contains("bad: failed: the file is corrupt"));
    QVERIFY(panel.log_text().contains("good: finished"));
  }
};

QTEST_MAIN(JobsPanelTest)
#include "tst_jobs_panel.moc"
