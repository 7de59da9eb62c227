// The Heal page's panel: its settings read back as set, one loss point per step with a moving average beside
// it (checked against the average computed here), the three perplexities, and the request signals.
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>
#include <cmath>

#include "heal_panel.h"
#include "plots.h"

using llmdrop::widgets::HealPanel;

class HealPanelTest : public QObject {
  Q_OBJECT

 private slots:
  void settingsReadBackAsSet() {
    HealPanel panel;
    const HealPanel::Settings defaults = panel.settings();
    QCOMPARE(defaults.steps, 300);
    QCOMPARE(defaults.rank, 16);
    QCOMPARE(defaults.lr, 2e-4);
    const HealPanel::Settings s{.data = "train.jsonl",
                                .out = "/tmp/healed",
                                .steps = 12,
                                .batch_size = 3,
                                .seq_len = 128,
                                .rank = 8,
                                .alpha = 16,
                                .lr = 5e-4};
    panel.set_settings(s);
    const HealPanel::Settings back = panel.settings();
    QCOMPARE(back.data, s.data);
    QCOMPARE(back.out, s.out);
    QCOMPARE(back.steps, 12);
    QCOMPARE(back.batch_size, 3);
    QCOMPARE(back.seq_len, 128);
    QCOMPARE(back.rank, 8);
    QCOMPARE(back.alpha, 16.0);
    QCOMPARE(back.lr, 5e-4);
  }

  void drawsEachStepAndItsMovingAverage() {
    HealPanel panel;
    panel.resize(900, 500);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QCOMPARE(panel.curve_points(), 0);
    const std::vector<double> losses = {5.0, 4.0, 4.5, 3.0};
    for (size_t i = 0; i < losses.size(); ++i) panel.add_step(int(i + 1), losses[i]);
    QCOMPARE(panel.curve_points(), 4);
    const auto report = llmdrop::widgets::describe_plot(panel.findChild<QWidget*>("loss_curve"));
    QVERIFY(report.has_data);
    QCOMPARE(report.data_points.size(), 8);  // the steps and their average
    // The average is bias-corrected: its first point is the first loss; the last one by hand.
    double average = 0;
    for (size_t i = 0; i < losses.size(); ++i) average = 0.9 * average + 0.1 * losses[i];
    QCOMPARE(panel.smoothed_loss(), average / (1 - std::pow(0.9, 4)));
    panel.clear_curve();
    QCOMPARE(panel.curve_points(), 0);
    QVERIFY(!llmdrop::widgets::describe_plot(panel.findChild<QWidget*>("loss_curve")).has_data);
  }

  void showsThePerplexitiesItHas() {
    HealPanel panel;
    QVERIFY(panel.perplexity_text().contains("full model – · with the drops – · healed –"));
    panel.show_perplexities(25.5, 75.86, std::nullopt);
    QVERIFY(panel.perplexity_text().contains("full model 25.50 · with the drops 75.86 · healed –"));
    panel.show_perplexities(25.5, 75.86, 45.08);
    QVERIFY(panel.perplexity_text().contains("healed 45.08"));
  }

  void healButtonAsksToHeal() {
    HealPanel panel;
    QSignalSpy asked(&panel, &HealPanel::healRequested);
    QTest::mouseClick(panel.heal_button(), Qt::LeftButton);
    QCOMPARE(asked.count(), 1);
    panel.set_running(true);
    QVERIFY(!panel.heal_button()->isEnabled());
    panel.set_running(false);
    QVERIFY(panel.heal_button()->isEnabled());
  }
};

QTEST_MAIN(HealPanelTest)
#include "tst_heal_panel.moc"
