// The model summary panel shows the numbers core computes, formatted for people.
#include <QLabel>
#include <QtTest>

#include "checkpoint/summary.h"
#include "model_summary_widget.h"
#include "support/test_support.h"

using namespace llmdrop;
using widgets::format_bytes;
using widgets::format_count;

class ModelSummaryWidgetTest : public QObject {
  Q_OBJECT

 private slots:
  void formatsNumbers() {
    QCOMPARE(format_count(271168), QString("271.2 K"));
    QCOMPARE(format_count(6'738'415'616), QString("6.74 B"));
    QCOMPARE(format_count(999), QString("999"));
    QCOMPARE(format_bytes(1536), QString("1.5 KiB"));
    QCOMPARE(format_bytes(524288), QString("512.0 KiB"));
    QCOMPARE(format_bytes(3LL << 30), QString("3.00 GiB"));
  }

  void showsSummaryWithDrops() {
    const Checkpoint ckpt = Checkpoint::open(test::model_dir("llama"));
    widgets::ModelSummaryWidget widget;
    QCOMPARE(widget.field_text("layers"), QString("—"));
    widget.show_summary(summarize(ckpt, DropPlan{{1, 4}, {2}}, "float32"));
    QCOMPARE(widget.field_text("family"), QString("llama"));
    QCOMPARE(widget.field_text("layers"), QString("6"));
    QCOMPARE(widget.field_text("heads"), QString("4 / 2 (head dim 16)"));
    QCOMPARE(widget.field_text("drops"), QString("attention: 1, 4 · MLP: 2"));
    // 4 attention layers left · K,V · 2 kv heads · 16 dims · 4 bytes = 1 KiB; all 6 = 1.5 KiB.
    QCOMPARE(widget.field_text("kv"), QString("1.0 KiB in float32 (1.5 KiB without drops)"));
    QVERIFY(widget.field_text("parameters").contains("without dropped modules"));
    widget.clear();
    QCOMPARE(widget.field_text("family"), QString("—"));
  }
};

QTEST_MAIN(ModelSummaryWidgetTest)
#include "tst_model_summary_widget.moc"
