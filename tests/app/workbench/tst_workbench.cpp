// The workbench executable end to end (offscreen): opens a model and renders; a bad model is an error, not a
// crash.
#include <QImage>
#include <QMap>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include "support/process_run.h"
#include "support/test_support.h"

namespace {
int run_workbench(const QStringList& args, QString* err = nullptr, QString* out = nullptr) {
  const auto run = llmdrop::test::run_program("LLMDROP_WORKBENCH", args);
  if (err) *err = QString::fromStdString(run.err);
  if (out) *out = QString::fromStdString(run.out);
  return run.code;
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

  // The compare view's screenshot: plan A and plan B measured in a job before the window is saved.
  void comparesTwoPlansForTheScreenshot() {
    QTemporaryDir tmp;
    QString err;
    QCOMPARE(run_workbench({"--screenshot", tmp.filePath("compare.png"), "--compare", "2"}, &err), 0);
    const QImage image(tmp.filePath("compare.png"));
    QVERIFY2(!image.isNull(), qPrintable(err));
    QVERIFY(image.width() >= 1000);
  }

  void unknownDeviceIsRefused() {
    QString err;
    QCOMPARE(run_workbench({"--device", "tpu", "--screenshot", "/nonexistent/x.png"}, &err), 2);
    QVERIFY2(err.contains("device 'tpu'"), qPrintable(err));
  }

  void badModelIsReportedNotCrashed() {
    QTemporaryDir tmp;
    QString err;
    QCOMPARE(run_workbench({"/nonexistent/model", "--screenshot", tmp.filePath("x.png")}, &err), 2);
    QVERIFY2(err.contains("does not exist"), qPrintable(err));
  }

  // --project opens a project file. One whose metric (NLL increase) its saved scores lack renders the scores
  // it has; one that is not JSON, or nested deeper than the JSON limit, is reported with exit code 2 — never
  // an abort.
  void opensProjectsAndReportsBadOnes() {
    QTemporaryDir tmp;
    const std::string model = llmdrop::test::model_dir("mistral").string();  // 4 layers
    const nlohmann::json values = {0.9, 0.8, 0.95, 0.7};
    const nlohmann::json module = {{"cosine", values}, {"angular", values}};
    const nlohmann::json project = {
        {"format", "llmdrop-project/1"},
        {"model", model},
        {"metric", "nll-delta"},
        {"scores", {{"format", "llmdrop-scores/1"}, {"block", module}, {"attn", module}, {"mlp", module}}}};
    llmdrop::test::write_json(tmp.filePath("nll.llmdrop.json").toStdString(), project);
    QString err, out;
    QCOMPARE(run_workbench(
                 {"--project", tmp.filePath("nll.llmdrop.json"), "--screenshot", tmp.filePath("nll.png")},
                 &err, &out),
             0);
    QVERIFY2(out.contains("importance map computed"), qPrintable(out + err));
    QVERIFY(!QImage(tmp.filePath("nll.png")).isNull());

    llmdrop::test::write_file(tmp.filePath("bad.llmdrop.json").toStdString(), "{\"format\": ");
    QCOMPARE(
        run_workbench(
            {"--project", tmp.filePath("bad.llmdrop.json"), "--screenshot", tmp.filePath("bad.png")}, &err),
        2);
    QVERIFY2(err.contains("not valid JSON"), qPrintable(err));
    const std::string deep = R"({"format": "llmdrop-project/1", "model": "m", "results": )" +
                             std::string(130000, '[') + std::string(130000, ']') + "}";
    llmdrop::test::write_file(tmp.filePath("deep.llmdrop.json").toStdString(), deep);
    QCOMPARE(
        run_workbench(
            {"--project", tmp.filePath("deep.llmdrop.json"), "--screenshot", tmp.filePath("deep.png")}, &err),
        2);
    QVERIFY2(err.contains("nested deeper"), qPrintable(err));
  }

  // The evaluation panel runs lm-eval-style tasks as a job on the demo model and shows transformers' numbers
  // (tests/data/reference/eval/demo-testdata.json, made by tools/eval_reference.py).
  void evaluationPanelShowsTheReferenceNumbers() {
    QTemporaryDir tmp;
    QString err, out;
    const QString data = QString::fromStdString((llmdrop::test::data_dir() / "eval" / "shared").string());
    QCOMPARE(run_workbench({"--screenshot", tmp.filePath("eval.png"), "--evaluate", "arc_easy,boolq",
                            "--data-dir", data, "--limit", "0"},
                           &err, &out),
             0);
    const auto reference =
        llmdrop::test::read_json(llmdrop::test::data_dir() / "reference" / "eval" / "demo-testdata.json");
    QStringList rows = out.trimmed().split('\n');
    QCOMPARE(rows.takeFirst().trimmed(), QString("full"));
    QMap<QString, QString> cells;
    for (const auto& row : rows) cells[row.section('\t', 0, 0)] = row.section('\t', 1, 1);
    auto expected = [&](const char* task, const char* metric) {
      return QString::number(reference["tasks"][task]["metrics"][metric].get<double>(), 'f', 4);
    };
    QVERIFY2(cells.value(QString::fromUtf8("arc_easy · acc")).startsWith(expected("arc_easy", "acc") + " ± "),
             qPrintable(out));
    QVERIFY(
        cells.value(QString::fromUtf8("arc_easy · acc_norm")).startsWith(expected("arc_easy", "acc_norm")));
    QVERIFY(cells.value(QString::fromUtf8("boolq · acc")).startsWith(expected("boolq", "acc")));
    QVERIFY(!QImage(tmp.filePath("eval.png")).isNull());
  }
};

QTEST_GUILESS_MAIN(WorkbenchTest)
#include "tst_workbench.moc"
