// The importance heatmap: values as computed by core, clicks toggle exactly the module under the pointer.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "importance_heatmap.h"

using namespace llmdrop;
using widgets::ImportanceHeatmap;

namespace {
ImportanceScores four_layers() {
  ImportanceScores s;
  s.attn.cosine = {0.90, 0.95, 0.99, 0.80};
  s.mlp.cosine = {0.10, 0.96, 0.97, 0.93};
  s.block.cosine = {0.05, 0.91, 0.96, 0.70};
  for (auto* m : {&s.attn, &s.mlp, &s.block})
    for (double c : m->cosine) m->angular.push_back(std::acos(c) / M_PI);
  return s;
}
}  // namespace

class ImportanceHeatmapTest : public QObject {
  Q_OBJECT

 private slots:
  void showsImportanceOfEveryModule() {
    ImportanceHeatmap map;
    map.set_scores(four_layers(), Metric::Cosine);
    QCOMPARE(map.importance(ModuleKind::Attn, 2), 1.0 - 0.99);
    QCOMPARE(map.importance(ModuleKind::Mlp, 0), 1.0 - 0.10);
    QCOMPARE(map.importance(ModuleKind::Block, 3), 1.0 - 0.70);
    map.set_scores(four_layers(), Metric::Angular);
    QCOMPARE(map.importance(ModuleKind::Attn, 1), std::acos(0.95) / M_PI);
    QVERIFY(map.cell_text(ModuleKind::Attn, 1).startsWith("Attention 1: importance 0.1"));
  }

  void clickingACellTogglesThatModule() {
    ImportanceHeatmap map;
    map.resize(800, 300);
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    map.set_scores(four_layers(), Metric::Cosine);
    std::vector<std::pair<ModuleKind, qint64>> clicked;
    connect(&map, &ImportanceHeatmap::moduleToggled,
            [&](ModuleKind kind, qint64 layer) { clicked.emplace_back(kind, layer); });
    QTest::mouseClick(map.plot_widget(), Qt::LeftButton, {}, map.cell_center(ModuleKind::Attn, 2));
    QTest::mouseClick(map.plot_widget(), Qt::LeftButton, {}, map.cell_center(ModuleKind::Block, 0));
    QTest::mouseClick(map.plot_widget(), Qt::LeftButton, {}, map.cell_center(ModuleKind::Mlp, 3));
    QCOMPARE(clicked.size(), size_t(3));
    QVERIFY(clicked[0] == std::make_pair(ModuleKind::Attn, qint64(2)));
    QVERIFY(clicked[1] == std::make_pair(ModuleKind::Block, qint64(0)));
    QVERIFY(clicked[2] == std::make_pair(ModuleKind::Mlp, qint64(3)));
    QTest::mouseClick(map.plot_widget(), Qt::LeftButton, {}, QPoint(2, 2));  // outside the cells: nothing
    QCOMPARE(clicked.size(), size_t(3));
  }

  void droppedModulesAreMarked() {
    ImportanceHeatmap map;
    map.set_scores(four_layers(), Metric::Cosine);
    QVERIFY(!map.cell_text(ModuleKind::Attn, 2).contains("dropped"));
    map.set_plan(DropPlan{{2}, {}});
    QVERIFY(map.cell_text(ModuleKind::Attn, 2).endsWith("(dropped)"));
    QVERIFY(!map.cell_text(ModuleKind::Block, 2).contains("dropped"));
    map.set_plan(DropPlan{{2}, {2}});
    QVERIFY(map.cell_text(ModuleKind::Block, 2).endsWith("(dropped)"));
  }
  // NLL increases are measured on demand: scores without them show cosine, and metric() says so. Rows of
  // unequal length and cells past the end are unknown (NaN), never an out-of-range read or a throw.
  void scoresWithoutTheMetricShowOneTheyHave() {
    ImportanceHeatmap map;
    ImportanceScores scores = four_layers();
    QVERIFY(!ImportanceHeatmap::has_metric(scores, Metric::NllDelta));
    map.set_scores(scores, Metric::NllDelta);
    QCOMPARE(map.metric(), Metric::Cosine);
    QCOMPARE(map.importance(ModuleKind::Attn, 2), 1.0 - 0.99);
    scores.block.nll_delta = {0.5, 0.1, 0.2, 0.3};  // the block row only: still not a metric of every row
    map.set_scores(scores, Metric::NllDelta);
    QCOMPARE(map.metric(), Metric::Cosine);
    scores.attn.nll_delta = {0.4, 0.3, 0.01, 0.2};
    scores.mlp.nll_delta = {0.9, 0.1};
    map.set_scores(scores, Metric::NllDelta);
    QCOMPARE(map.metric(), Metric::NllDelta);
    QCOMPARE(map.importance(ModuleKind::Attn, 2), 0.01);
    QVERIFY(std::isnan(map.importance(ModuleKind::Mlp, 3)));
    QVERIFY(std::isnan(map.importance(ModuleKind::Attn, 4)));
    QVERIFY(std::isnan(map.importance(ModuleKind::Attn, -1)));
    map.set_scores(ImportanceScores{}, Metric::Angular);  // nothing at all: an empty map
    QVERIFY(std::isnan(map.importance(ModuleKind::Block, 0)));
    ModuleKind kind;
    int64_t layer;
    QVERIFY(!map.module_at(QPoint(10, 10), &kind, &layer));
  }

  // Every plot format: the file holds that format's signature; an unknown one is refused and writes nothing.
  void savesPngPdfAndSvg() {
    ImportanceHeatmap map;
    map.resize(800, 300);
    map.set_scores(four_layers(), Metric::Cosine);
    QTemporaryDir tmp;
    const QList<std::pair<QString, QByteArray>> formats = {
        {"map.png", QByteArray("\x89PNG")}, {"map.pdf", QByteArray("%PDF")}, {"map.svg", QByteArray("<svg")}};
    for (const auto& [name, signature] : formats) {
      QString error;
      QVERIFY2(map.save(tmp.filePath(name), &error), qPrintable(error));
      QFile f(tmp.filePath(name));
      QVERIFY(f.open(QIODevice::ReadOnly));
      const QByteArray head = f.read(4096);
      QVERIFY2(head.contains(signature), qPrintable(name));
    }
    QString error;
    QVERIFY(!map.save(tmp.filePath("map.bmp"), &error));
    QVERIFY2(error.contains("unknown image format"), qPrintable(error));
    QCOMPARE(QDir(tmp.path()).entryList(QDir::Files).size(), 3);  // no partial files left
  }
};

QTEST_MAIN(ImportanceHeatmapTest)
#include "tst_importance_heatmap.moc"
