// The workbench executable end to end (offscreen): opens a model and renders; a bad model is an error, not a
// crash.
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include "support/test_support.h"

namespace {
int run_workbench(const QStringList& args, QString* err = nullptr) {
  QProcess p;
  p.start(QString::fromLocal8Bit(qgetenv("LLMDROP_WORKBENCH")), args);
  p.waitForFinished(120000);
  if (err) *err = QString::fromLocal8Bit(p.readAllStandardError());
  return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}
}  // namespace

class WorkbenchTest : public QObject {
  Q_OBJECT

 private slots:
  void opensModelAndSavesScreenshot() {
    QTemporaryDir tmp;
    const QString png = tmp.filePath("window.png");
    const QString model = QString::fromStdString(llmdrop::test::model_dir("mistral").string());
    QCOMPARE(run_workbench({model, "--screenshot", png}), 0);
    const QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 400 && image.height() >= 300);
  }

  void opensDemoModelWithoutArguments() {
    QTemporaryDir tmp;
    QCOMPARE(run_workbench({"--screenshot", tmp.filePath("demo.png")}), 0);
    const QImage image(tmp.filePath("demo.png"));
    QVERIFY(!image.isNull());
    // The importance map is drawn: the lower half holds many distinct colours, not a blank panel.
    QSet<QRgb> colours;
    for (int y = image.height() / 2; y < image.height() - 40; y += 4)
      for (int x = 0; x < image.width(); x += 4) colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 20, QByteArray::number(colours.size()));
  }

  void badModelIsReportedNotCrashed() {
    QTemporaryDir tmp;
    QString err;
    QCOMPARE(run_workbench({"/nonexistent/model", "--screenshot", tmp.filePath("x.png")}, &err), 2);
    QVERIFY2(err.contains("does not exist"), qPrintable(err));
  }
};

QTEST_GUILESS_MAIN(WorkbenchTest)
#include "tst_workbench.moc"
