// The logit lens grid: a row per sub-layer in order, the top token of each position shaded by its
// probability, the top k on hover, dropped rows marked; the empty state explains itself.
#include <QTableWidget>
#include <QtTest>

#include "lens_grid.h"

using namespace llmdrop;
using widgets::LensGrid;

namespace {
// Two layers over a 3-token prompt; layer 1's attention dropped (its row repeats the one above).
std::vector<LensRow> two_layers() {
  std::vector<LensRow> rows;
  for (int64_t layer = 0; layer < 2; ++layer)
    for (bool after_mlp : {false, true}) {
      LensRow row{.layer = layer, .after_mlp = after_mlp, .dropped = layer == 1 && !after_mlp};
      for (int64_t t = 0; t < 3; ++t) {
        const double top = 0.2 * double(rows.size() + 1);  // 0.2, 0.4, 0.6, 0.8 by row
        row.predictions.push_back({{10 + t, 20 + t}, {top, (1 - top) / 2}});
      }
      rows.push_back(row);
    }
  return rows;
}
QString text_of(int64_t id) {
  return id == 10 ? QStringLiteral(" the") : QStringLiteral("tok%1").arg(id);
}
}  // namespace

class LensGridTest : public QObject {
  Q_OBJECT

 private slots:
  void showsEverySublayerAndPosition() {
    LensGrid grid;
    QVERIFY(grid.rows() == 0 && !grid.table()->isVisibleTo(&grid));
    grid.show_lens(two_layers(), {"a", "b", "c"}, text_of);
    QCOMPARE(grid.rows(), 4);
    QCOMPARE(grid.positions(), 3);
    QCOMPARE(grid.row_label(0), QStringLiteral("0 attention"));
    QCOMPARE(grid.row_label(1), QStringLiteral("0 MLP"));
    QCOMPARE(grid.row_label(2), QStringLiteral("1 attention (dropped)"));
    QCOMPARE(grid.cell_text(0, 0), QStringLiteral("·the"));  // leading space made visible
    QCOMPARE(grid.cell_text(3, 2), QStringLiteral("tok12"));
    const QString tip = grid.cell_tooltip(1, 1);
    QVERIFY2(tip.contains("tok11  40.0 %") && tip.contains("tok21  30.0 %"), qPrintable(tip));
  }

  void shadesByProbability() {
    LensGrid grid;
    grid.show_lens(two_layers(), {"a", "b", "c"}, text_of);
    QCOMPARE(grid.cell_colour(0, 0), LensGrid::shade(0.2));
    QCOMPARE(grid.cell_colour(3, 0), LensGrid::shade(0.8));
    // Darker with probability, white at 0.
    QCOMPARE(LensGrid::shade(0), QColor(Qt::white));
    QVERIFY(LensGrid::shade(0.8).lightness() < LensGrid::shade(0.2).lightness());
    // The dropped row is grey, whatever its probability.
    QCOMPARE(grid.cell_colour(2, 1), QColor(225, 225, 225));
  }

  void messageReplacesTheGrid() {
    LensGrid grid;
    grid.show_lens(two_layers(), {"a", "b", "c"}, text_of);
    grid.show_message("Cannot run the lens: no model");
    QCOMPARE(grid.rows(), 0);
    QVERIFY(grid.message().contains("no model"));
  }
};

QTEST_MAIN(LensGridTest)
#include "tst_lens_grid.moc"
