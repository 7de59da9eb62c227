// The evaluation panel: a column per run, and a bar chart of the accuracy-type rows (a group per row, a bar
// per run) that follows every new column and exports like every plot.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include "eval_panel.h"

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
};

QTEST_MAIN(EvalPanelTest)
#include "tst_eval_panel.moc"
