// The evaluation panel: a column per run, and a bar chart of the accuracy-type rows (a group per row, a bar
// per run, every group labelled, the legend outside the bars, accuracy 0–1) that follows every new column and
// exports like every plot; without accuracies it says so.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include "eval_panel.h"
#include "plots.h"

using llmdrop::widgets::EvalPanel;

class EvalPanelTest : public QObject {
  Q_OBJECT

 private slots:
  void chartFollowsTheColumns() {
    EvalPanel panel;
    panel.resize(900, 500);
    panel.add_column({"full",
                      {{"arc_easy · acc", "0.2660 ± 0.0091"},
                       {"arc_easy · acc_norm", "0.2597 ± 0.0090"},
                       {"wikitext · word_perplexity", "8951.3816"}}});
    QCOMPARE(panel.chart_rows(), QStringList({"arc_easy · acc", "arc_easy · acc_norm"}));  // no perplexity
    QCOMPARE(panel.chart_bars(0), (std::vector<double>{0.2660, 0.2597}));
    panel.add_column(
        {"attn 1,4 dropped",
         {{"arc_easy · acc", "0.2500"}, {"gsm8k · exact_match (flexible-extract)", "0.0083 ± 0.0025"}}});
    QCOMPARE(panel.chart_rows(), QStringList({"arc_easy · acc", "arc_easy · acc_norm",
                                              "gsm8k · exact_match (flexible-extract)"}));
    QCOMPARE(panel.chart_bars(0), (std::vector<double>{0.2660, 0.2597, 0}));
    QCOMPARE(panel.chart_bars(1), (std::vector<double>{0.25, 0, 0.0083}));
    // The same label twice (the full model evaluated again): each column draws its own values.
    panel.add_column({"full", {{"arc_easy · acc", "0.3000"}}});
    QCOMPARE(panel.chart_bars(2), (std::vector<double>{0.3, 0, 0}));
    QCOMPARE(panel.chart_bars(0), (std::vector<double>{0.2660, 0.2597, 0}));
    QVERIFY(panel.chart_bars(3).empty());

    QTemporaryDir tmp;
    QString error;
    QVERIFY2(panel.save_chart(tmp.filePath("eval.png"), &error), qPrintable(error));
    const QImage image(tmp.filePath("eval.png"));
    QVERIFY(image.width() >= 800 && image.height() >= 400);
    QVERIFY2(panel.save_chart(tmp.filePath("eval.svg"), &error), qPrintable(error));
    QFile svg(tmp.filePath("eval.svg"));
    QVERIFY(svg.open(QIODevice::ReadOnly) && svg.read(4096).contains("<svg"));
    QVERIFY(!panel.save_chart(tmp.filePath("eval.gif"), &error));
    QVERIFY2(error.contains("unknown image format"), qPrintable(error));
    QCOMPARE(QDir(tmp.path()).entryList(QDir::Files).size(), 2);
  }

  void chartIsReadable() {
    EvalPanel panel;
    panel.resize(900, 600);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QWidget* chart = nullptr;
    for (QWidget* child : panel.findChildren<QWidget*>())
      if (child->inherits("QCustomPlot")) chart = child;
    QVERIFY(chart);
    const llmdrop::widgets::PlotReport empty = llmdrop::widgets::describe_plot(chart);
    QVERIFY(!empty.has_data && !empty.message.isEmpty());
    QVERIFY(!empty.axes_visible && !empty.legend_visible);  // no placeholder axis, no stray legend
    // Nine accuracy rows, as the six default tasks give, for two runs.
    const char* rows[] = {"arc_easy · acc",       "arc_easy · acc_norm", "hellaswag · acc",
                          "hellaswag · acc_norm", "piqa · acc",          "piqa · acc_norm",
                          "boolq · acc",          "winogrande · acc",    "mmlu · acc"};
    for (const char* run : {"full", "attn 1,4 · mlp 2 dropped"}) {
      llmdrop::ResultsColumn column{run, {}};
      for (const char* row : rows) column.cells.emplace_back(row, "0.9900 ± 0.0100");
      panel.add_column(column);
    }
    QApplication::processEvents();
    const llmdrop::widgets::PlotReport report = llmdrop::widgets::describe_plot(chart);
    QVERIFY(report.has_data && report.axes_visible);
    QCOMPARE(report.value_lower, 0.0);
    QCOMPARE(report.value_upper, 1.0);  // accuracy is a fraction: no room above 1
    QVERIFY(!report.key_label.isEmpty() && report.value_label.contains("accuracy"));
    QCOMPARE(report.category_labels, panel.chart_rows());  // every group of bars labelled
    QCOMPARE(report.data_points.size(), 2 * 9);
    QVERIFY(report.legend_visible);
    QVERIFY(!report.legend.intersects(report.data_area));  // the legend covers no bar
    for (const QPoint& point : report.data_points) QVERIFY(report.data_area.contains(point));
    // Each label is drawn: ink just left of the data area at its row.
    const QImage image = chart->grab().toImage();
    for (int i = 0; i < report.category_positions.size(); ++i) {
      bool ink = false;
      for (int y = report.category_positions[i] - 3; y <= report.category_positions[i] + 3; ++y)
        for (int x = report.data_area.left() - 40; x < report.data_area.left() - 6; ++x)
          ink = ink || qGray(image.pixel(x, y)) < 128;
      QVERIFY2(ink, qPrintable(report.category_labels[i]));
    }
  }
};

QTEST_MAIN(EvalPanelTest)
#include "tst_eval_panel.moc"
