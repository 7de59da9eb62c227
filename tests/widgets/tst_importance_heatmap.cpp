// The importance heatmap: values as computed by core, clicks toggle exactly the module under the pointer,
// dropped modules marked visibly on every colour, a colour scale with several ticks, an empty state.
#include <QDir>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "importance_heatmap.h"
#include "plots.h"

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

// WCAG's contrast ratio of two colours: 1 (none) to 21 (black on white).
double contrast(const QColor& a, const QColor& b) {
  auto luminance = [](const QColor& c) {
    auto linear = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF());
  };
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
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

  // Task importance: a set of rows per task, labelled with the task, each with that task's NLL increases;
  // clicking a cell of the second set toggles that module.
  void taskImportanceShowsRowsPerTask() {
    ImportanceScores scores = four_layers();
    for (const char* name : {"hellaswag", "arc_easy"}) {
      TaskImportance t{.task = name};
      const double scale = t.task == "hellaswag" ? 1.0 : 10.0;
      t.attn.nll_delta = {0.01 * scale, 0.02 * scale, 0.03 * scale, 0.04 * scale};
      t.mlp.nll_delta = {0.5 * scale, 0.06 * scale, 0.07 * scale, 0.08 * scale};
      t.block.nll_delta = {1.0 * scale, 0.1 * scale, 0.2 * scale, 0.3 * scale};
      scores.tasks.push_back(t);
    }
    QVERIFY(ImportanceHeatmap::has_metric(scores, Metric::Task));
    QVERIFY(!ImportanceHeatmap::has_metric(four_layers(), Metric::Task));
    ImportanceHeatmap map;
    map.resize(800, 500);
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    map.set_scores(scores, Metric::Task);
    QCOMPARE(map.metric(), Metric::Task);
    QCOMPARE(map.row_sets(), 2);
    QCOMPARE(map.importance(ModuleKind::Mlp, 0, 0), 0.5);
    QCOMPARE(map.importance(ModuleKind::Block, 3, 1), 3.0);
    QVERIFY(map.cell_text(ModuleKind::Attn, 1, 1).startsWith("arc_easy: Attention 1: importance 0.2"));
    ModuleKind kind;
    int64_t layer;
    int set = -1;
    QVERIFY(map.module_at(map.cell_center(ModuleKind::Mlp, 2, 1), &kind, &layer, &set));
    QVERIFY(kind == ModuleKind::Mlp && layer == 2 && set == 1);
    std::vector<std::pair<ModuleKind, qint64>> clicked;
    connect(&map, &ImportanceHeatmap::moduleToggled,
            [&](ModuleKind k, qint64 l) { clicked.emplace_back(k, l); });
    QTest::mouseClick(map.plot_widget(), Qt::LeftButton, {}, map.cell_center(ModuleKind::Attn, 3, 1));
    QCOMPARE(clicked.size(), size_t(1));
    QVERIFY(clicked[0] == std::make_pair(ModuleKind::Attn, qint64(3)));
    // One colour scale for both: the larger task's cells are the hotter ones.
    QVERIFY(map.cell_colour(ModuleKind::Block, 0, 1) != map.cell_colour(ModuleKind::Block, 0, 0));
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

  // The ✕ on a dropped cell contrasts with it, whatever its colour (white on the darkest, black on the
  // brightest): every cell dropped, each mark at least WCAG's 4.5:1 against its cell.
  void dropMarksContrastWithEveryCell() {
    ImportanceHeatmap map;
    map.resize(800, 300);
    map.set_scores(four_layers(), Metric::Cosine);
    map.set_plan(DropPlan{{0, 1, 2, 3}, {0, 1, 2, 3}});
    QSet<QRgb> marks;
    for (ModuleKind kind : {ModuleKind::Attn, ModuleKind::Mlp, ModuleKind::Block})
      for (int64_t layer = 0; layer < 4; ++layer) {
        const QColor cell = map.cell_colour(kind, layer), mark = map.mark_colour(kind, layer);
        QVERIFY2(contrast(cell, mark) >= 4.5,
                 qPrintable(QString("%1: %2 on %3 (%4:1)")
                                .arg(map.cell_text(kind, layer), mark.name(), cell.name())
                                .arg(contrast(cell, mark), 0, 'f', 2)));
        marks.insert(mark.rgb());
      }
    QCOMPARE(marks.size(), 2);  // the scale spans dark and bright cells: both kinds of mark are needed
  }

  // The log colour scale has at least four ticks, over decades and over a narrow range alike; without scores
  // the map says so, with no axes or scale.
  void colourScaleHasSeveralTicks() {
    ImportanceHeatmap map;
    map.resize(800, 300);
    llmdrop::widgets::PlotReport empty = llmdrop::widgets::describe_plot(map.plot_widget());
    QVERIFY(!empty.has_data);
    QVERIFY(!empty.message.isEmpty());
    QVERIFY(!empty.axes_visible && !empty.legend_visible && empty.colour_ticks.isEmpty());
    ImportanceScores narrow = four_layers();
    for (auto* m : {&narrow.attn, &narrow.mlp, &narrow.block}) m->cosine = {0.95, 0.94, 0.93, 0.935};
    for (const ImportanceScores& scores : {four_layers(), narrow}) {
      map.set_scores(scores, Metric::Cosine);
      const llmdrop::widgets::PlotReport report = llmdrop::widgets::describe_plot(map.plot_widget());
      QVERIFY(report.has_data && report.axes_visible);
      QVERIFY2(report.colour_ticks.size() >= 4, qPrintable(QString::number(report.colour_ticks.size())));
      QVERIFY(!report.key_label.isEmpty() && !report.value_label.isEmpty());
    }
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
