// The main window in-process (offscreen): clicking heatmap cells edits the drop plan undoably, a project file
// saved and reopened restores the same state, the export writes the plan without touching the model, bad
// input is an error the window survives, the window fits a 1366×768 screen with readable plots, and closing
// with unsaved changes asks first.
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "bench/speed.h"
#include "checkpoint/default_model.h"
#include "close_guard.h"
#include "compare_view.h"
#include "drop_control.h"
#include "eval_panel.h"
#include "heal_panel.h"
#include "impact_panel.h"
#include "importance_heatmap.h"
#include "importance_map.h"
#include "job_manager.h"
#include "jobs_panel.h"
#include "lens_grid.h"
#include "main_window.h"
#include "model/device_list.h"
#include "model_summary_widget.h"
#include "plots.h"
#include "session/jobs.h"
#include "session_controller.h"
#include "speed_panel.h"
#include "support/test_support.h"

using llmdrop::DropPlan;
using llmdrop::ModuleKind;
using llmdrop::ScoreJob;
using llmdrop::workbench::ImportanceMap;
using llmdrop::workbench::MainWindow;
namespace fs = std::filesystem;
namespace widgets = llmdrop::widgets;

namespace {

const QString kModel = QString::fromStdString(llmdrop::test::model_dir("llama").string());
constexpr int64_t kLayers = 6;

// Shows the window at a size where every heatmap cell can be clicked, opens `model` and waits for its map.
// The window's held-out perplexity, measured independently on a fresh session of `model`.
double held_out_perplexity(const QString& model, const std::string& dtype, const DropPlan& plan,
                           const std::filesystem::path& text) {
  llmdrop::Session session(llmdrop::Checkpoint::open(model.toStdString()), {"cpu", dtype}, plan);
  return llmdrop::text_perplexity(session, plan, text, 2048, 256, llmdrop::JobContext::silent()).ppl;
}

bool open_and_score(MainWindow& w, const QString& model) {
  w.resize(960, 720);
  w.show();
  QSignalSpy ready(&w, &MainWindow::scoresReady);
  w.open_model(model);
  if (!ready.wait(120000)) return false;
  QApplication::processEvents();  // the map and its controls laid out, as before any click of a user's
  return true;
}

// Shows the window with its frame (the platform's decorations included) as large as a 1366×768 screen.
void show_on_1366x768(MainWindow& w) {
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  w.resize(QSize(1366, 768) - (w.frameGeometry().size() - w.size()));
  QApplication::processEvents();
}

void click(MainWindow& w, ModuleKind kind, int64_t layer) {
  QTest::mouseClick(w.heatmap()->plot_widget(), Qt::LeftButton, {}, w.heatmap()->cell_center(kind, layer));
}

QByteArray read_all(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool write_all(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// A project of kModel saved by the window (cosine and angular scores, no NLL increases), then given the
// metric `metric`.
QString saved_project(const QTemporaryDir& tmp, const std::string& metric) {
  const QString file = tmp.filePath("saved.llmdrop.json");
  MainWindow w;
  if (!open_and_score(w, kModel) || !w.save_project(file)) return {};
  auto j = nlohmann::json::parse(read_all(file).toStdString());
  if (j["scores"]["attn"].contains("nll_delta")) return {};
  j["metric"] = metric;
  return write_all(file, QByteArray::fromStdString(j.dump())) ? file : QString();
}

// The text of the window's newest message box (errors are non-modal boxes), closing them all as a user would.
QString dismiss_messages(MainWindow& w) {
  QString text;
  for (QMessageBox* box : w.findChildren<QMessageBox*>()) {
    text = box->text();
    box->close();
  }
  return text;
}

}  // namespace

class MainWindowTest : public QObject {
  Q_OBJECT

 private slots:
  void clickingCellsEditsThePlanUndoably() {
    MainWindow w;
    QVERIFY(open_and_score(w, kModel));
    QVERIFY(w.drop_plan().empty());
    click(w, ModuleKind::Attn, 1);
    QCOMPARE(w.drop_plan(), (DropPlan{{1}, {}}));
    click(w, ModuleKind::Mlp, 3);
    QCOMPARE(w.drop_plan(), (DropPlan{{1}, {3}}));
    QCOMPARE(w.undo_stack()->count(), 2);
    QCOMPARE(w.undo_stack()->text(0), QString("Drop attention 1"));
    w.undo_stack()->undo();
    QCOMPARE(w.drop_plan(), (DropPlan{{1}, {}}));
    w.undo_stack()->undo();
    QVERIFY(w.drop_plan().empty());
    w.undo_stack()->redo();
    QCOMPARE(w.drop_plan(), (DropPlan{{1}, {}}));
    click(w, ModuleKind::Attn, 1);  // restore: a new edit, and the redo of "Drop MLP 3" is gone
    QVERIFY(w.drop_plan().empty());
    QCOMPARE(w.undo_stack()->text(1), QString("Restore attention 1"));
    QCOMPARE(w.undo_stack()->count(), 2);
    click(w, ModuleKind::Block, 4);  // a block: its attention and its MLP
    QCOMPARE(w.drop_plan(), (DropPlan{{4}, {4}}));
  }

  // "Add N least important": discrete drops the N highest-similarity modules the heatmap shows (lowest
  // importance) as well as those dropped already, consecutive a window of blocks, iterative re-scores in a
  // job; "Replace" makes the plan exactly the N least important; each is one undoable edit.
  void dropControlSelectsByStrategy() {
    MainWindow w;
    QVERIFY(open_and_score(w, kModel));
    std::vector<std::pair<double, int64_t>> attn;
    for (int64_t i = 0; i < kLayers; ++i) attn.push_back({w.heatmap()->importance(ModuleKind::Attn, i), i});
    std::sort(attn.begin(), attn.end());
    w.drop_control()->set_request("attn", 2, "discrete");
    QTest::mouseClick(w.drop_control()->add_button(), Qt::LeftButton);
    QCOMPARE(w.drop_plan(), (DropPlan{{attn[0].second, attn[1].second}, {}}));
    QCOMPARE(w.undo_stack()->count(), 1);
    w.undo_stack()->undo();
    QVERIFY(w.drop_plan().empty());

    w.drop_control()->set_request("block", 3, "consecutive");
    QTest::mouseClick(w.drop_control()->add_button(), Qt::LeftButton);
    const DropPlan window = w.drop_plan();
    QCOMPARE(window.attn.size(), size_t(3));
    QCOMPARE(window.attn, window.mlp);
    QCOMPARE(*window.attn.rbegin() - *window.attn.begin(), int64_t(2));  // three adjacent blocks
    w.undo_stack()->undo();

    QSignalSpy changed(&w, &MainWindow::planChanged);
    w.drop_control()->set_request("mlp", 2, "iterative");
    QTest::mouseClick(w.drop_control()->add_button(), Qt::LeftButton);
    QVERIFY(!w.drop_control()->add_button()->isEnabled());  // one selection at a time
    QVERIFY(changed.wait(120000));
    QCOMPARE(w.drop_plan().mlp.size(), size_t(2));
    QVERIFY(w.drop_plan().attn.empty());
    QVERIFY(w.drop_control()->add_button()->isEnabled());
    QVERIFY2(w.undo_stack()->undoText().contains("iterative"), qPrintable(w.undo_stack()->undoText()));
    w.undo_stack()->undo();
    QVERIFY(w.drop_plan().empty());

    // Add keeps what the plan drops; Replace does not.
    std::vector<std::pair<double, int64_t>> mlp;
    for (int64_t i = 0; i < kLayers; ++i) mlp.push_back({w.heatmap()->importance(ModuleKind::Mlp, i), i});
    std::sort(mlp.begin(), mlp.end());
    w.drop_control()->set_request("attn", 2, "discrete");
    QTest::mouseClick(w.drop_control()->add_button(), Qt::LeftButton);
    w.drop_control()->set_request("mlp", 1, "discrete");
    QTest::mouseClick(w.drop_control()->add_button(), Qt::LeftButton);
    QCOMPARE(w.drop_plan(), (DropPlan{{attn[0].second, attn[1].second}, {mlp[0].second}}));
    QVERIFY2(w.undo_stack()->undoText().startsWith("Add 1 least important"),
             qPrintable(w.undo_stack()->undoText()));
    w.drop_control()->set_request("mlp", 2, "discrete");
    QTest::mouseClick(w.drop_control()->replace_button(), Qt::LeftButton);
    QCOMPARE(w.drop_plan(), (DropPlan{{}, {mlp[0].second, mlp[1].second}}));
    w.undo_stack()->undo();
    QCOMPARE(w.drop_plan(), (DropPlan{{attn[0].second, attn[1].second}, {mlp[0].second}}));
  }

  // Consecutive selection drops whole blocks: the control never offers it with another target, nor another
  // target while it is chosen.
  void impossibleSelectionsAreNotOffered() {
    MainWindow w;
    QVERIFY(open_and_score(w, kModel));
    widgets::DropControl* control = w.drop_control();
    control->set_request("attn", 2, "discrete");
    QVERIFY(!control->offers_strategy("consecutive"));
    QVERIFY(control->offers_strategy("iterative"));
    control->set_request("block", 2, "discrete");
    QVERIFY(control->offers_strategy("consecutive"));
    control->set_request("block", 2, "consecutive");
    QCOMPARE(control->strategy(), QString("consecutive"));
    for (const char* target : {"attn", "mlp", "all"}) QVERIFY2(!control->offers_target(target), target);
    QVERIFY(control->offers_target("block"));
    control->set_request("mlp", 2, "discrete");
    QVERIFY(control->offers_target("attn"));
  }

  // Cancelling the scoring job that measures NLL increases leaves the map as it was, and the selector says
  // what the map shows.
  void metricSelectorShowsTheMapsMetricAfterACancel() {
    MainWindow w;
    QVERIFY(open_and_score(w, kModel));
    auto* jobs = w.findChild<widgets::JobsPanel*>();
    QVERIFY(jobs);
    QSignalSpy started(w.sessions()->jobs(), &widgets::JobManager::started);
    QSignalSpy cancelled(w.sessions(), &llmdrop::workbench::SessionController::jobCancelled);
    w.drop_control()->set_metric(llmdrop::Metric::NllDelta);
    int score_job = -1;
    for (const auto& job : started)
      if (job.at(1).toString().startsWith("Score")) score_job = job.at(0).toInt();
    QVERIFY(score_job > 0);
    QTest::mouseClick(jobs->cancel_button(score_job), Qt::LeftButton);
    QVERIFY(cancelled.wait(60000));
    QCOMPARE(w.heatmap()->metric(), llmdrop::Metric::Cosine);
    QCOMPARE(w.drop_control()->metric(), w.heatmap()->metric());
  }

  // NLL increase as the map's metric is measured on demand by a scoring job that drops each module alone; the
  // map then shows what core's score gives for the window's request on a freshly loaded model, cell by cell.
  void nllIncreaseMetricIsMeasuredOnDemand() {
    MainWindow w;
    QVERIFY(open_and_score(w, kModel));
    QSignalSpy ready(&w, &MainWindow::scoresReady);
    w.drop_control()->set_metric(llmdrop::Metric::NllDelta);
    QVERIFY(ready.wait(120000));
    const llmdrop::ScoreJob request = w.default_score_request();
    QVERIFY(request.options.nll_delta);
    llmdrop::Session fresh(llmdrop::Checkpoint::open(kModel.toStdString()), {"cpu", "auto"}, request.drops);
    const llmdrop::ImportanceScores reference = llmdrop::score(fresh, request, llmdrop::JobContext::silent());
    for (const ModuleKind kind : {ModuleKind::Attn, ModuleKind::Mlp, ModuleKind::Block}) {
      const std::vector<double> want = reference.of(kind).importance(llmdrop::Metric::NllDelta);
      QCOMPARE(int64_t(want.size()), kLayers);
      for (int64_t layer = 0; layer < kLayers; ++layer)
        QVERIFY2(std::abs(w.heatmap()->importance(kind, layer) - want[layer]) <=
                     1e-9 * (1 + std::abs(want[layer])),
                 qPrintable(w.heatmap()->cell_text(kind, layer)));
    }
    // Back to cosine: no new job, the cosine map again.
    w.drop_control()->set_metric(llmdrop::Metric::Cosine);
    QCOMPARE(ready.count(), 1);
    QCOMPARE(w.heatmap()->importance(ModuleKind::Attn, 1),
             reference.attn.importance(llmdrop::Metric::Cosine)[1]);
  }

  // Task importance: the map shows a set of rows per named task, each the task's NLL increases as a fresh
  // session measures them; a drop by it follows the first task.
  void taskImportanceShowsRowsPerTask() {
    MainWindow w;
    w.eval_panel()->set_data_dir(
        QString::fromStdString((llmdrop::test::data_dir() / "eval" / "hf").string()));
    QVERIFY(open_and_score(w, kModel));
    QSignalSpy ready(&w, &MainWindow::scoresReady);
    w.drop_control()->set_tasks("arc_easy,hellaswag", 2);
    w.drop_control()->set_metric(llmdrop::Metric::Task);
    QVERIFY(ready.wait(120000));
    QCOMPARE(w.heatmap()->row_sets(), 2);
    const llmdrop::ScoreJob request = w.default_score_request();
    QCOMPARE(request.tasks, (std::vector<std::string>{"arc_easy", "hellaswag"}));
    llmdrop::Session fresh(llmdrop::Checkpoint::open(kModel.toStdString()), {"cpu", "auto"}, request.drops);
    const llmdrop::ImportanceScores reference = llmdrop::score(fresh, request, llmdrop::JobContext::silent());
    QCOMPARE(reference.tasks.size(), size_t(2));
    for (int set = 0; set < 2; ++set)
      for (int64_t layer = 0; layer < kLayers; ++layer) {
        const double want = reference.tasks[size_t(set)].mlp.nll_delta[size_t(layer)];
        QVERIFY2(std::abs(w.heatmap()->importance(ModuleKind::Mlp, layer, set) - want) <=
                     1e-9 * (1 + std::abs(want)),
                 qPrintable(w.heatmap()->cell_text(ModuleKind::Mlp, layer, set)));
      }
    QVERIFY(w.heatmap()->cell_text(ModuleKind::Attn, 0, 1).startsWith("hellaswag: "));
  }

  // The lens page: a row per sub-layer, the last one the model's own prediction, computed again when the plan
  // changes (the dropped row marked).
  void lensFollowsThePlan() {
    MainWindow w;
    QVERIFY(open_and_score(w, kModel));
    QSignalSpy shown(&w, &MainWindow::lensShown);
    w.lens_view()->set_prompt("The license");
    QTest::mouseClick(w.lens_view()->show_button(), Qt::LeftButton);
    QVERIFY(shown.wait(60000));
    QCOMPARE(w.lens_view()->rows(), int(2 * kLayers));
    QVERIFY(w.lens_view()->positions() > 1);
    QVERIFY(!w.lens_view()->row_label(4).contains("dropped"));
    click(w, ModuleKind::Attn, 2);  // layer 2's attention: row 4
    QVERIFY(shown.wait(60000));
    QVERIFY(w.lens_view()->row_label(4).contains("dropped"));
    QCOMPARE(w.lens_view()->cell_text(4, 1), w.lens_view()->cell_text(3, 1));  // the stream passes unchanged
  }

  // Healing the plan draws one loss point per step as the steps come in, then shows the held-out perplexity
  // of the full model, of the plan and of the healed model, and leaves the merged checkpoint and its PEFT
  // adapter in the chosen folder.
  void healingShowsItsLossCurveAndThePerplexities() {
    MainWindow w;
    QVERIFY(open_and_score(w, kModel));
    widgets::HealPanel* panel = w.heal_panel();
    QTest::mouseClick(panel->heal_button(), Qt::LeftButton);
    QVERIFY2(panel->message().contains("Drop something first"), qPrintable(panel->message()));
    click(w, ModuleKind::Attn, 2);
    click(w, ModuleKind::Mlp, 4);
    QTemporaryDir tmp;
    const QString out = tmp.filePath("healed");
    panel->set_settings(
        {.data = QString::fromStdString((llmdrop::test::data_dir() / "calibration" / "calib.jsonl").string()),
         .out = out,
         .steps = 4,
         .batch_size = 1,
         .seq_len = 32,
         .rank = 4,
         .alpha = 8,
         .lr = 1e-3});
    QSignalSpy healed(&w, &MainWindow::healFinished);
    QTest::mouseClick(panel->heal_button(), Qt::LeftButton);
    QVERIFY(healed.wait(120000));
    QCOMPARE(panel->curve_points(), 4);
    const QRegularExpression three(
        R"(full model (\d+\.\d+) · with the drops (\d+\.\d+) · healed (\d+\.\d+))");
    const auto figures = three.match(panel->perplexity_text());
    QVERIFY2(figures.hasMatch(), qPrintable(panel->perplexity_text()));
    QVERIFY(figures.captured(1) != figures.captured(2));
    QVERIFY(figures.captured(2) != figures.captured(3));
    QVERIFY(QFile::exists(out + "/adapter/adapter_model.safetensors"));
    QVERIFY(QFile::exists(out + "/model.safetensors"));
  }

  // The speed panel measures the full model and the current plan in one job: a row per configuration and
  // round, a decode curve per configuration, the KV cache of the plan smaller by exactly its dropped layers.
  void speedPanelComparesFullAndPlan() {
    MainWindow w;
    QVERIFY(open_and_score(w, kModel));
    click(w, ModuleKind::Attn, 1);
    click(w, ModuleKind::Attn, 4);
    widgets::SpeedPanel* panel = w.speed_panel();
    panel->set_rounds("8, 16", 4);
    QSignalSpy measured(&w, &MainWindow::speedMeasured);
    QTest::mouseClick(panel->measure_button(), Qt::LeftButton);
    QVERIFY(measured.wait(120000));
    QCOMPARE(panel->result_rows(), 4);
    QCOMPARE(panel->decode_graphs(), 2);
    QCOMPARE(panel->cell_text(0, 0), QString("full"));
    QCOMPARE(panel->cell_text(0, 1), QString("8"));
    QCOMPARE(panel->cell_text(0, 5), QString("1.00×"));
    // fp32 K and V of 2 heads × 16 dims: 256 bytes per layer and token; (16 + 4) tokens, 6 vs 4 layers.
    QCOMPARE(panel->cell_text(1, 4), QString::number(6 * 256 * 20 / double(1 << 20), 'f', 3));
    QCOMPARE(panel->cell_text(3, 4), QString::number(4 * 256 * 20 / double(1 << 20), 'f', 3));
    QVERIFY(panel->cell_text(3, 3).toDouble() > 0);
    // Both plots export like every plot (save_plot): a PNG of the decode curves at least 800×400, an SVG of
    // the KV-cache bars; an unknown format is refused and leaves nothing behind.
    QTemporaryDir tmp;
    QString error;
    QVERIFY2(panel->save(widgets::SpeedPanel::Plot::decode_speed, tmp.filePath("decode.png"), &error),
             qPrintable(error));
    const QImage decode(tmp.filePath("decode.png"));
    QVERIFY(decode.width() >= 800 && decode.height() >= 400);
    QVERIFY2(panel->save(widgets::SpeedPanel::Plot::kv_cache, tmp.filePath("kv.svg"), &error),
             qPrintable(error));
    QFile svg(tmp.filePath("kv.svg"));
    QVERIFY(svg.open(QIODevice::ReadOnly) && svg.read(4096).contains("<svg"));
    QVERIFY(!panel->save(widgets::SpeedPanel::Plot::kv_cache, tmp.filePath("kv.bmp"), &error));
    QCOMPARE(QDir(tmp.path()).entryList(QDir::Files).size(), 2);
    // Another plan adds its configuration; the full model, measured already for these rounds, stays the
    // baseline.
    const QString full_decode = panel->cell_text(1, 3);
    click(w, ModuleKind::Mlp, 0);
    QTest::mouseClick(panel->measure_button(), Qt::LeftButton);
    QVERIFY(measured.wait(120000));
    QCOMPARE(panel->result_rows(), 6);
    QCOMPARE(panel->decode_graphs(), 3);
    QCOMPARE(panel->cell_text(1, 3), full_decode);
    QCOMPARE(panel->cell_text(5, 5),
             QString("%1×").arg(panel->cell_text(5, 3).toDouble() / full_decode.toDouble(), 0, 'f', 2));
    QTest::mouseClick(panel->measure_button(), Qt::LeftButton);  // nothing new to measure
    QVERIFY(!measured.wait(300));
    // Other rounds start over: the full model and the current plan.
    panel->set_rounds("8", 4);
    QTest::mouseClick(panel->measure_button(), Qt::LeftButton);
    QVERIFY(measured.wait(120000));
    QCOMPARE(panel->result_rows(), 2);
    QCOMPARE(panel->cell_text(0, 0), QString("full"));
    QTest::mouseClick(panel->clear_button(), Qt::LeftButton);
    QCOMPARE(panel->result_rows(), 0);
    panel->set_rounds("8,x", 4);
    QTest::mouseClick(panel->measure_button(), Qt::LeftButton);
    QVERIFY(!measured.wait(300));  // refused before any job
    QCOMPARE(panel->result_rows(), 0);
  }

  // The compare view: plan A pinned, plan B the current one; their impact, what only one of them drops, and a
  // job measuring both plans' held-out perplexity and continuing the same prompt with each.
  void compareViewPutsTwoPlansSideBySide() {
    MainWindow w;
    QVERIFY(open_and_score(w, kModel));
    widgets::CompareView* view = w.compare_view();
    QSignalSpy measured(&w, &MainWindow::comparisonMeasured), impact(&w, &MainWindow::impactUpdated);
    // Until a plan is pinned, A is the model in full: full vs. dropped at a click.
    QCOMPARE(view->plan_a(), DropPlan{});
    click(w, ModuleKind::Attn, 3);
    QVERIFY(impact.wait(60000));  // the full model's held-out perplexity, for comparison
    QTest::mouseClick(view->run_button(), Qt::LeftButton);
    QVERIFY(measured.wait(120000));
    const QString full_perplexity =
        w.impact_panel()->perplexity_text().section("full model ", 1).section(',', 0, 0);
    QCOMPARE(view->cell_text(widgets::CompareView::Perplexity, 0), full_perplexity);
    QVERIFY(view->cell_text(widgets::CompareView::Perplexity, 1) != full_perplexity);
    w.undo_stack()->undo();
    click(w, ModuleKind::Attn, 1);
    click(w, ModuleKind::Attn, 2);
    QTest::mouseClick(view->pin_button(), Qt::LeftButton);
    w.undo_stack()->undo();
    click(w, ModuleKind::Block, 4);
    QCOMPARE(view->plan_a(), (DropPlan{{1, 2}, {}}));
    QCOMPARE(view->plan_b(), (DropPlan{{1, 4}, {4}}));
    QCOMPARE(view->cell_text(widgets::CompareView::KvCache, 0), QString("33.3 %"));  // 2 of 6 layers
    QCOMPARE(view->cell_text(widgets::CompareView::KvCache, 1), QString("33.3 %"));
    QVERIFY2(view->difference_text().contains("Only A drops: attention 2, MLP –"),
             qPrintable(view->difference_text()));
    QVERIFY2(view->difference_text().contains("Only B drops: attention 4, MLP 4"),
             qPrintable(view->difference_text()));
    QVERIFY2(view->difference_text().contains("Both drop: attention 1, MLP –"),
             qPrintable(view->difference_text()));
    view->set_prompt("The license");
    QTest::mouseClick(view->run_button(), Qt::LeftButton);
    QVERIFY(measured.wait(120000));
    const double a = view->cell_text(widgets::CompareView::Perplexity, 0).toDouble(),
                 b = view->cell_text(widgets::CompareView::Perplexity, 1).toDouble();
    QVERIFY(a > 1 && b > 1 && a != b);
    QVERIFY(view->generation(0).startsWith("The license"));
    QVERIFY(view->generation(1).startsWith("The license"));
  }

  // Two models: A pinned on one model, then another model opened as B. Each keeps its own map, the job
  // measures each on its own checkpoint, and the difference view says their depths differ.
  void compareViewPutsTwoModelsSideBySide() {
    MainWindow w;
    QVERIFY(open_and_score(w, kModel));  // llama, 6 layers
    widgets::CompareView* view = w.compare_view();
    click(w, ModuleKind::Attn, 1);
    QTest::mouseClick(view->pin_button(), Qt::LeftButton);
    const QString other = QString::fromStdString(llmdrop::test::model_dir("mistral").string());  // 4 layers
    QVERIFY(open_and_score(w, other));
    QCOMPARE(view->plan_a(), (DropPlan{{1}, {}}));
    QVERIFY(view->plan_b().empty());
    // A's own map (six layers, attention 1 marked dropped), B's the current model's.
    QVERIFY(view->map(0)->cell_text(ModuleKind::Attn, 1).endsWith("(dropped)"));
    QVERIFY(std::isfinite(view->map(0)->importance(ModuleKind::Attn, 5)));
    QCOMPARE(view->map(1)->importance(ModuleKind::Attn, 3), w.heatmap()->importance(ModuleKind::Attn, 3));
    QVERIFY2(view->difference_text().startsWith("A has 6 layers, B 4"), qPrintable(view->difference_text()));
    QSignalSpy measured(&w, &MainWindow::comparisonMeasured);
    view->set_prompt("The license");
    QTest::mouseClick(view->run_button(), Qt::LeftButton);
    QVERIFY(measured.wait(120000));
    const auto text = llmdrop::find_default_calibration(QCoreApplication::applicationDirPath().toStdString());
    QVERIFY(text.has_value());
    auto perplexity = [&](const QString& model, const DropPlan& plan) {
      return held_out_perplexity(model, "auto", plan, *text);
    };
    QCOMPARE(view->cell_text(widgets::CompareView::Perplexity, 0),
             QString::number(perplexity(kModel, DropPlan{{1}, {}}), 'f', 2));
    QCOMPARE(view->cell_text(widgets::CompareView::Perplexity, 1),
             QString::number(perplexity(other, {}), 'f', 2));
    QVERIFY(view->generation(0).startsWith("The license"));
    QVERIFY(view->generation(1).startsWith("The license"));
  }

  // The precision choice reaches the summary and every job: in bfloat16 the KV cache per token halves and the
  // held-out perplexity is the bfloat16 model's (text_perplexity in bfloat16); an unknown precision is
  // refused and changes nothing.
  void precisionChoiceReachesSummaryAndJobs() {
    MainWindow w;
    QSignalSpy impact(&w, &MainWindow::impactUpdated);
    QVERIFY(open_and_score(w, kModel));
    QVERIFY(impact.count() > 0 || impact.wait(60000));
    QCOMPARE(w.dtype(), QString("auto"));
    // K and V of 2 heads × 16 dims over 6 layers: 384 elements per token; "auto" on the CPU is float32.
    auto kv = [&] { return w.findChild<widgets::ModelSummaryWidget*>()->field_text("kv"); };
    QVERIFY2(kv().startsWith("1.5 KiB in float32"), qPrintable(kv()));
    QString error;
    QVERIFY(!w.set_dtype("float64", &error));
    QVERIFY2(error.contains("float64"), qPrintable(error));
    QCOMPARE(w.dtype(), QString("auto"));
    impact.clear();
    QVERIFY2(w.set_dtype("bfloat16", &error), qPrintable(error));
    QVERIFY(impact.wait(60000));
    const auto text = llmdrop::find_default_calibration(QCoreApplication::applicationDirPath().toStdString());
    QVERIFY(text.has_value());
    const double bf16 = held_out_perplexity(kModel, "bfloat16", {}, *text);
    const double fp32 = held_out_perplexity(kModel, "float32", {}, *text);
    QVERIFY(bf16 != fp32);
    QVERIFY2(w.impact_panel()->perplexity_text().startsWith(QString::number(bf16, 'f', 2) + " (full model"),
             qPrintable(w.impact_panel()->perplexity_text()));
    QVERIFY2(kv().startsWith("768 B in bfloat16"), qPrintable(kv()));
  }

  // The device choice: what this build and machine offer is accepted and reaches the jobs; anything else is
  // refused with a message and changes nothing.
  void deviceChoiceIsCheckedAndKept() {
    MainWindow w;
    QCOMPARE(w.device(), QString("cpu"));
    QString error;
    QVERIFY(!w.set_device("tpu", &error));
    QVERIFY2(error.contains("is not cpu, cuda or cuda:N"), qPrintable(error));
    QCOMPARE(w.device(), QString("cpu"));
    const auto devices = llmdrop::available_devices();
    QCOMPARE(devices.front(), std::string("cpu"));
    const bool has_cuda = devices.size() > 1;
    QCOMPARE(w.set_device("cuda:0", &error), has_cuda);
    if (!has_cuda) QVERIFY2(error.contains("no CUDA"), qPrintable(error));
    QCOMPARE(w.device(), QString(has_cuda ? "cuda:0" : "cpu"));
    QVERIFY(w.set_device("cpu"));
    QVERIFY(open_and_score(w, kModel));  // jobs run on the chosen device

    // The menu names each device with its free memory, made again as it opens.
    QMenu* menu = nullptr;
    for (QAction* entry : w.menuBar()->actions())
      if (entry->text() == "&Device") menu = entry->menu();
    QVERIFY(menu);
    Q_EMIT menu->aboutToShow();
    const QString cpu = menu->actions().front()->text();
    QVERIFY2(QRegularExpression(R"(^cpu \(\d+\.\d GB free\)$)").match(cpu).hasMatch(), qPrintable(cpu));
    QVERIFY(menu->actions().front()->isChecked());
    // Several devices as one choice (the menu's "all GPUs" on a machine with several): one model, its layers
    // placed over them; the map is scored there as on one.
    QVERIFY2(w.set_device("cpu,cpu", &error), qPrintable(error));
    QCOMPARE(w.device(), QString("cpu,cpu"));
    QVERIFY(open_and_score(w, kModel));
  }

  // The impact panel follows the plan: estimate at once, held-out perplexity after a pause in editing.
  void impactFollowsThePlan() {
    MainWindow w;
    QSignalSpy impact(&w, &MainWindow::impactUpdated);
    QVERIFY(open_and_score(w, kModel));
    QVERIFY(impact.count() > 0 || impact.wait(60000));
    const widgets::ImpactPanel* panel = w.impact_panel();
    QCOMPARE(panel->parameters_text(), QString("0 (0.0 %)"));
    QVERIFY2(panel->speedup_text().startsWith("1.00×"), qPrintable(panel->speedup_text()));
    const QString full = panel->perplexity_text();
    QVERIFY2(full.contains("+0.0 %"), qPrintable(full));  // no drops: the full model's own number
    impact.clear();
    click(w, ModuleKind::Block, 2);  // one of six blocks
    QVERIFY2(panel->kv_text().endsWith("(16.7 %)"), qPrintable(panel->kv_text()));
    QCOMPARE(panel->perplexity_text(), QString("computing…"));
    QVERIFY(impact.wait(60000));
    const QString dropped = panel->perplexity_text();
    QVERIFY2(dropped != full && dropped.contains(full.section(' ', 0, 0)),
             qPrintable(dropped + " / " + full));
    w.undo_stack()->undo();
    QVERIFY(impact.wait(60000));
    QCOMPARE(panel->perplexity_text(), full);
    QCOMPARE(panel->parameters_text(), QString("0 (0.0 %)"));
  }

  // The map is scored on the calibration text, blocks and block length the user chose, and says so.
  void mapIsScoredOnTheChosenCalibration() {
    MainWindow w;
    QVERIFY(open_and_score(w, kModel));
    ImportanceMap* map = w.importance_map();
    const int64_t context = w.sessions()->checkpoint().config.max_position_embeddings;
    const int64_t default_length = std::min<int64_t>(256, context);
    QCOMPARE(map->scores()->tokens, 16 * default_length);
    QVERIFY2(
        w.heatmap()->toolTip().contains(QString("16 × %1 tokens of demo_heldout.txt").arg(default_length)),
        qPrintable(w.heatmap()->toolTip()));
    const auto bundled_cosine = map->scores()->attn.cosine;

    QSignalSpy ready(&w, &MainWindow::scoresReady);
    const fs::path calib = llmdrop::test::data_dir() / "calibration" / "calib.jsonl";
    map->set_calibration({calib, 3, 32});
    QVERIFY(ready.wait(120000));
    QCOMPARE(map->scores()->tokens, int64_t(3 * 32));
    QVERIFY2(w.heatmap()->toolTip().contains("3 × 32 tokens of calib.jsonl"),
             qPrintable(w.heatmap()->toolTip()));
    QVERIFY(map->scores()->attn.cosine != bundled_cosine);  // another text, other similarities
    // The same request the CLI makes for this text: the same scores.
    ScoreJob request = map->default_request();
    QCOMPARE(request.data, calib);
    QCOMPARE(request.samples, int64_t(3));
    QCOMPARE(request.seq_len, int64_t(32));
  }

  // The measured decode speedup follows the plan too: the full model's speed on the jobs' device, then each
  // plan after a pause in editing, measured interleaved with the full model, with the same context as the
  // estimate; a median and its range, or "too noisy to tell".
  void measuredSpeedupFollowsThePlan() {
    MainWindow w;
    QSignalSpy measured(&w, &MainWindow::decodeSpeedMeasured);
    QVERIFY(open_and_score(w, kModel));
    QVERIFY(measured.count() > 0 || measured.wait(60000));
    const widgets::ImpactPanel* panel = w.impact_panel();
    const QString number = QStringLiteral("(\\d+\\.\\d\\d)");
    const QRegularExpression full_format(
        QString::fromUtf8("^1\\.00× \\(full model: (\\d+\\.\\d) tokens/s on %1\\)$").arg(w.device()));
    auto match = full_format.match(panel->measured_text());
    QVERIFY2(match.hasMatch(), qPrintable(panel->measured_text()));
    QVERIFY(match.captured(1).toDouble() > 0);
    measured.clear();
    click(w, ModuleKind::Block, 2);
    QCOMPARE(panel->measured_text(), QString("measuring…"));
    QVERIFY(measured.wait(60000));
    const QRegularExpression settled(
        QString::fromUtf8("^%1× \\(%1–%1 over (\\d+) pairs on %2\\)$").arg(number, w.device()));
    const QRegularExpression noisy(
        QString::fromUtf8("^too noisy to tell \\(%1–%1× over (\\d+) pairs\\)$").arg(number));
    const QString text = panel->measured_text();
    if (match = settled.match(text); match.hasMatch()) {
      const double median = match.captured(1).toDouble(), low = match.captured(2).toDouble(),
                   high = match.captured(3).toDouble();
      QVERIFY2(low <= median && median <= high, qPrintable(text));
      QVERIFY2(high - low <= 0.10 * median + 0.01,
               qPrintable(text));  // settled: within 10 % (2-digit rounding)
      QVERIFY(match.captured(4).toInt() >= 3);
    } else {
      match = noisy.match(text);
      QVERIFY2(match.hasMatch(), qPrintable(text));
      QVERIFY2(match.captured(2).toDouble() > match.captured(1).toDouble(), qPrintable(text));
      QCOMPARE(match.captured(3).toInt(),
               llmdrop::SpeedupOptions{}.max_pairs);  // gave up only after every pair
    }
    // The speeds behind the figure, at the estimate's context.
    QVERIFY2(
        panel->measured_tooltip().contains(QString("after %1 tokens").arg(w.sessions()->decode_context())),
        qPrintable(panel->measured_tooltip()));
  }

  // Every job runs on the model loaded when it was opened: toggling modules (held-out perplexity and decode
  // speed of each plan) loads no weights; a change of precision loads the model once more.
  void togglingThePlanLoadsNoModel() {
    MainWindow w;
    QSignalSpy impact(&w, &MainWindow::impactUpdated), measured(&w, &MainWindow::decodeSpeedMeasured);
    QVERIFY(open_and_score(w, kModel));
    QVERIFY(impact.count() > 0 || impact.wait(60000));
    QVERIFY(measured.count() > 0 || measured.wait(60000));
    QCOMPARE(w.sessions()->models_loaded(), 1);
    for (const int64_t layer : {1, 4, 1}) {
      impact.clear();
      measured.clear();
      click(w, ModuleKind::Attn, layer);
      QVERIFY(impact.wait(60000));
      QVERIFY(measured.count() > 0 || measured.wait(60000));
    }
    QCOMPARE(w.drop_plan(), (DropPlan{{4}, {}}));
    QCOMPARE(w.sessions()->models_loaded(), 1);
    impact.clear();
    QVERIFY(w.set_dtype("bfloat16"));
    QVERIFY(impact.wait(60000));
    QCOMPARE(w.sessions()->models_loaded(), 2);
  }

  // A model that does not fit on the device (here: a memory limit below its weights) opens with its layers
  // streaming, and the window says so; the map is scored as usual.
  void modelTooLargeForTheDeviceStreamsItsLayers() {
    qputenv("LLMDROP_MEMORY_LIMIT",
            "700000");  // 0.7 MB: the test model needs 1.1 MB resident, 0.5 MB streamed
    MainWindow w;
    const bool scored = open_and_score(w, kModel);
    qunsetenv("LLMDROP_MEMORY_LIMIT");
    QVERIFY(scored);
    QVERIFY(w.sessions()->streamed());
    const auto* layers = w.findChild<QLabel*>("layers");
    QVERIFY2(layers && layers->text().contains("one at a time"),
             qPrintable(layers ? layers->text() : "none"));
  }

  void projectSaveAndReopenGivesTheSameState() {
    QTemporaryDir tmp;
    const QString file = tmp.filePath("session.llmdrop.json");
    MainWindow first;
    QVERIFY(open_and_score(first, kModel));
    click(first, ModuleKind::Attn, 2);
    click(first, ModuleKind::Mlp, 5);
    first.eval_panel()->add_column({"attn 2 · mlp 5 dropped", {{"arc_easy · acc", "0.2500 ± 0.1637"}}});
    QString error;
    QVERIFY2(first.save_project(file, &error), qPrintable(error));

    MainWindow second;
    second.resize(960, 720);
    second.show();
    QSignalSpy ready(&second, &MainWindow::scoresReady);
    second.open_project(file);
    QVERIFY(ready.wait(120000));
    QCOMPARE(second.drop_plan(), (DropPlan{{2}, {5}}));
    for (ModuleKind kind : {ModuleKind::Attn, ModuleKind::Mlp, ModuleKind::Block})
      for (int64_t layer = 0; layer < kLayers; ++layer) {
        const double a = first.heatmap()->importance(kind, layer),
                     b = second.heatmap()->importance(kind, layer);
        QVERIFY2((std::isnan(a) && std::isnan(b)) || a == b, qPrintable(QString("%1 vs %2").arg(a).arg(b)));
      }
    QCOMPARE(second.eval_panel()->results_text(), first.eval_panel()->results_text());
    QCOMPARE(second.eval_panel()->cell_text("arc_easy · acc", "attn 2 · mlp 5 dropped"),
             QString("0.2500 ± 0.1637"));
    QCOMPARE(second.undo_stack()->count(), 0);
    // Saving the reopened session gives the same file.
    const QString again = tmp.filePath("again.llmdrop.json");
    QVERIFY(second.save_project(again));
    QCOMPARE(read_all(again), read_all(file));
  }

  // Writes into the model's folder are refused, as exports are: the checkpoint stays as it was.
  void projectIsNeverSavedIntoTheModelFolder() {
    namespace fs = std::filesystem;
    QTemporaryDir tmp;
    const fs::path model = fs::path(tmp.path().toStdString()) / "model";
    llmdrop::test::copy_model("llama", model);
    MainWindow w;
    QVERIFY(open_and_score(w, QString::fromStdString(model.string())));
    const QString inside = QString::fromStdString((model / "config.json").string());
    const QByteArray before = read_all(inside);
    QString error;
    QVERIFY(!w.save_project(inside, &error));
    QVERIFY2(error.contains("is inside the model folder"), qPrintable(error));
    QCOMPARE(read_all(inside), before);
    QVERIFY2(w.save_project(tmp.filePath("beside.llmdrop.json"), &error), qPrintable(error));
  }

  void exportWritesThePlanAndLeavesTheModelAlone() {
    QTemporaryDir tmp;
    MainWindow w;
    QVERIFY(open_and_score(w, kModel));
    const QByteArray config_before = read_all(kModel + "/config.json");
    click(w, ModuleKind::Attn, 0);
    QCOMPARE(w.drop_plan(), (DropPlan{{0}, {}}));
    QSignalSpy done(&w, &MainWindow::exportFinished), failed(&w, &MainWindow::exportFailed);
    w.export_plan(tmp.filePath("out"), false);
    QVERIFY(done.wait(60000));
    const auto config = nlohmann::json::parse(read_all(tmp.filePath("out/config.json")).toStdString());
    QCOMPARE(config["drop_attn_list"].dump(), std::string("[0]"));
    QCOMPARE(config["drop_mlp_list"].dump(), std::string("[]"));
    QCOMPARE(read_all(kModel + "/config.json"), config_before);
    // Exporting into a folder that is not empty fails with a message; the window goes on working.
    w.export_plan(tmp.filePath("out"), false);
    QVERIFY(failed.wait(60000));
    QVERIFY2(failed.takeFirst().at(0).toString().contains("out"), "the message names the folder");
    w.export_plan(tmp.filePath("pruned"), true);
    QVERIFY(done.wait(60000));
    QVERIFY(QFile::exists(tmp.filePath("pruned/model.safetensors")));
  }

  // A cancelled job leaves no partial files: a pruned export of the demo model (15 MB) cancelled from the
  // jobs panel leaves neither the folder nor a temporary beside it, and the same export then completes.
  void cancelledExportLeavesNothing() {
    QTemporaryDir tmp;
    MainWindow w;
    const auto demo = llmdrop::find_demo_model(QCoreApplication::applicationDirPath().toStdString());
    QVERIFY(demo.has_value());
    QVERIFY(open_and_score(w, QString::fromStdString(demo->string())));
    click(w, ModuleKind::Attn, 1);
    auto* jobs = w.findChild<widgets::JobManager*>();
    auto* panel = w.findChild<widgets::JobsPanel*>();
    QVERIFY(jobs && panel);
    QSignalSpy started(jobs, &widgets::JobManager::started), cancelled(jobs, &widgets::JobManager::cancelled),
        succeeded(jobs, &widgets::JobManager::succeeded), done(&w, &MainWindow::exportFinished);
    const QString out = tmp.filePath("pruned");
    // The export is short: a click can come after it has finished, and then the export stands, complete. Try
    // until a click lands while it runs.
    for (int attempt = 0; attempt < 10 && cancelled.isEmpty(); ++attempt) {
      started.clear();
      succeeded.clear();
      w.export_plan(out, true);
      QCOMPARE(started.count(), 1);
      QTest::mouseClick(panel->cancel_button(started.first()[0].toInt()), Qt::LeftButton);
      QTRY_VERIFY_WITH_TIMEOUT(!cancelled.isEmpty() || !succeeded.isEmpty(), 60000);
      if (cancelled.isEmpty()) {
        QVERIFY(QFile::exists(out + "/config.json") && QFile::exists(out + "/model.safetensors"));
        QVERIFY(QDir(out).removeRecursively());
      }
    }
    QCOMPARE(cancelled.count(), 1);
    QCOMPARE(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList());
    done.clear();
    w.export_plan(out, true);
    QVERIFY(done.wait(60000));
    QVERIFY(QFile::exists(out + "/config.json") && QFile::exists(out + "/model.safetensors"));
  }

  void badProjectIsAnErrorAndTheWindowStaysUsable() {
    QTemporaryDir tmp;
    const QString file = tmp.filePath("bad.llmdrop.json");
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"format": "llmdrop-project/1", "drop_attn_list": [1]})");
    f.close();
    MainWindow w;
    QSignalSpy failed(&w, &MainWindow::openFailed);
    w.open_project(file);
    QCOMPARE(failed.count(), 1);
    QVERIFY2(failed.first().at(0).toString().contains("field 'model' is missing"),
             qPrintable(failed.first().at(0).toString()));
    QVERIFY(open_and_score(w, kModel));
  }

  // A project whose metric is NLL increase while its saved scores have none: the map shows a metric the
  // scores have and the selector says which, the status bar says why, and the window goes on working (a
  // click drops a module; choosing NLL increase measures it).
  void nllProjectWithoutNllScoresShowsAMetricTheyHave() {
    QTemporaryDir tmp;
    const QString file = saved_project(tmp, "nll-delta");
    QVERIFY(!file.isEmpty());
    MainWindow w;
    w.resize(960, 720);
    w.show();
    QSignalSpy ready(&w, &MainWindow::scoresReady), failed(&w, &MainWindow::openFailed);
    w.open_project(file);
    QVERIFY(ready.wait(120000));
    QVERIFY(failed.isEmpty());
    QVERIFY(w.isVisible());
    QCOMPARE(w.heatmap()->metric(), llmdrop::Metric::Cosine);
    QCOMPARE(w.drop_control()->metric(), w.heatmap()->metric());
    const QString status = w.statusBar()->currentMessage();
    QVERIFY2(status.contains("NLL increase") && status.contains("cosine"), qPrintable(status));
    const auto saved = nlohmann::json::parse(read_all(file).toStdString());
    QCOMPARE(w.heatmap()->importance(ModuleKind::Attn, 1),
             1 - saved["scores"]["attn"]["cosine"][1].get<double>());
    click(w, ModuleKind::Attn, 1);
    QCOMPARE(w.drop_plan(), (DropPlan{{1}, {}}));
    w.drop_control()->set_metric(llmdrop::Metric::NllDelta);
    QVERIFY(ready.wait(120000));
    QCOMPARE(w.heatmap()->metric(), llmdrop::Metric::NllDelta);
    QCOMPARE(w.drop_control()->metric(), llmdrop::Metric::NllDelta);
    QVERIFY(std::isfinite(w.heatmap()->importance(ModuleKind::Mlp, 2)));
  }

  // Project files that cannot be opened: not JSON, JSON nested 130,000 levels deep, a model folder that does
  // not exist. Each is a message in the window (openFailed, the status bar, a box), never an abort; the
  // window stays open and then opens a model and edits its plan as usual.
  void unopenableProjectsAreMessagesInTheWindow_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("reason");
    QTest::newRow("not JSON") << QByteArray(R"({"format": "llmdrop-project/1", "model": )")
                              << "not valid JSON";
    const int depth = 130000;
    QTest::newRow("nested 130,000 deep")
        << QByteArray(R"({"format": "llmdrop-project/1", "model": "m", "results": )") +
               QByteArray(depth, '[') + QByteArray(depth, ']') + "}"
        << "nested deeper than 256";
    QTest::newRow("no model folder")
        << QByteArray(R"({"format": "llmdrop-project/1", "model": "/nonexistent/model"})")
        << "does not exist";
  }
  void unopenableProjectsAreMessagesInTheWindow() {
    QFETCH(QByteArray, text);
    QFETCH(QString, reason);
    QTemporaryDir tmp;
    const QString file = tmp.filePath("project.llmdrop.json");
    QVERIFY(write_all(file, text));
    MainWindow w;
    w.resize(960, 720);
    w.show();
    QSignalSpy failed(&w, &MainWindow::openFailed);
    w.open_project(file);
    QVERIFY(!failed.isEmpty() || failed.wait(60000));
    QVERIFY2(failed.first().at(0).toString().contains(reason), qPrintable(failed.first().at(0).toString()));
    QVERIFY2(w.statusBar()->currentMessage().contains(reason), qPrintable(w.statusBar()->currentMessage()));
    QVERIFY(w.isVisible());
    const QString box = dismiss_messages(w);
    QVERIFY2(box.contains(reason), qPrintable(box));
    QVERIFY(open_and_score(w, kModel));
    click(w, ModuleKind::Mlp, 2);
    QCOMPARE(w.drop_plan(), (DropPlan{{}, {2}}));
  }

  // On a 1366×768 screen every page fits: the window never grows past it, the jobs panel (room for four
  // jobs) and the status bar are inside it, the compare view's texts sit clear of its maps, and long messages
  // widen nothing.
  void windowFitsA1366x768ScreenOnEveryPage() {
    MainWindow w;
    show_on_1366x768(w);
    QSignalSpy ready(&w, &MainWindow::scoresReady);
    w.open_model(kModel);
    QVERIFY(ready.wait(120000));
    auto* jobs = w.findChild<widgets::JobsPanel*>();
    QVERIFY(jobs);
    const QRect screen(0, 0, 1366, 768);
    auto inside_window = [&w](const QWidget* part) {
      return part->isVisible() && w.rect().contains(QRect(part->mapTo(&w, QPoint(0, 0)), part->size()));
    };
    const QString long_message = "Cannot open /a/very/long/path/" + QString("segment/").repeated(60) +
                                 " because " + QString("it is a long explanation ").repeated(20);
    for (int page = 0; page < w.pages()->count(); ++page) {
      w.pages()->setCurrentIndex(page);
      QApplication::processEvents();
      const QByteArray name = w.pages()->tabText(page).toUtf8();
      const QSize frame = w.frameGeometry().size();
      QVERIFY2(frame.width() <= 1366 && frame.height() <= 768,
               name + QByteArray(" frame %1x%2, minimum %3x%4")
                          .replace("%1", QByteArray::number(frame.width()))
                          .replace("%2", QByteArray::number(frame.height()))
                          .replace("%3", QByteArray::number(w.minimumSizeHint().width()))
                          .replace("%4", QByteArray::number(w.minimumSizeHint().height())));
      QVERIFY2(inside_window(jobs), name);
      QVERIFY2(inside_window(w.statusBar()), name);
      QVERIFY2(jobs->visible_rows() >= 4, name + ": " + QByteArray::number(jobs->visible_rows()));
      // The page needs no scrolling at this size.
      const auto* area = qobject_cast<const QScrollArea*>(w.pages()->currentWidget());
      QVERIFY2(area, name);
      QVERIFY2(!area->verticalScrollBar()->isVisible() && !area->horizontalScrollBar()->isVisible(), name);
    }
    w.show_tab(w.compare_view());
    QApplication::processEvents();
    const widgets::CompareView* view = w.compare_view();
    auto rect_in_view = [view](const QWidget* part) {
      return QRect(part->mapTo(view, QPoint(0, 0)), part->size());
    };
    for (int map = 0; map < 2; ++map)
      for (int box = 0; box < 2; ++box) {
        QVERIFY(view->generation_box(box)->height() > 0);
        QVERIFY2(!rect_in_view(view->map(map)).intersects(rect_in_view(view->generation_box(box))),
                 qPrintable(QString("map %1, text %2").arg(map).arg(box)));
        // Both fully shown: the page's scroll area clips neither.
        const QWidget* viewport = qobject_cast<const QScrollArea*>(w.pages()->currentWidget())->viewport();
        for (const QWidget* part : {static_cast<const QWidget*>(view->map(map)), view->generation_box(box)})
          QVERIFY(part->isVisible() &&
                  viewport->rect().contains(QRect(part->mapTo(viewport, QPoint(0, 0)), part->size())));
      }
    // Long messages in the status bar and in every page widen nothing.
    const QSize before = w.size();
    w.statusBar()->showMessage(long_message);
    w.speed_panel()->show_message(long_message);
    w.eval_panel()->show_message(long_message);
    w.compare_view()->show_message(long_message);
    for (int page = 0; page < w.pages()->count(); ++page) {
      w.pages()->setCurrentIndex(page);
      QApplication::processEvents();
      QCOMPARE(w.size(), before);
      const auto* area = qobject_cast<const QScrollArea*>(w.pages()->currentWidget());
      QVERIFY2(!area->horizontalScrollBar()->isVisible(), qPrintable(w.pages()->tabText(page)));  // wrapped
    }
    QVERIFY(screen.size().expandedTo(w.minimumSizeHint()) == screen.size());
  }

  // Every plot says "no data yet" without data (no fake axis, no legend); with data its axes are labelled,
  // its data lie inside its ranges, its legend lies outside the data, the accuracy axis is 0–1, every
  // evaluation bar is labelled, and the colour scale has several ticks.
  void plotsAreReadable() {
    MainWindow w;
    show_on_1366x768(w);
    auto plots_in = [](const QWidget* parent) {
      QList<const QWidget*> plots;
      for (const QWidget* child : parent->findChildren<QWidget*>())
        if (child->inherits("QCustomPlot")) plots << child;
      return plots;
    };
    for (QWidget* page : QList<QWidget*>{w.eval_panel(), w.speed_panel()})
      for (const QWidget* plot : plots_in(page)) {
        const widgets::PlotReport report = widgets::describe_plot(plot);
        QVERIFY(!report.has_data && !report.message.isEmpty());
        QVERIFY(!report.axes_visible && !report.legend_visible);
      }
    QSignalSpy ready(&w, &MainWindow::scoresReady);
    w.open_model(kModel);
    QVERIFY(ready.wait(120000));
    llmdrop::ResultsColumn full{"full", {}}, dropped{"attn 1,4 · mlp 2 dropped", {}};
    for (const char* row :
         {"arc_easy · acc", "arc_easy · acc_norm", "hellaswag · acc", "hellaswag · acc_norm", "piqa · acc",
          "piqa · acc_norm", "boolq · acc", "winogrande · acc", "mmlu · acc"}) {
      full.cells.emplace_back(row, "0.6100 ± 0.0100");
      dropped.cells.emplace_back(row, "0.2500");
    }
    w.eval_panel()->add_column(full);
    w.eval_panel()->add_column(dropped);
    auto round = [](int64_t context, double decode, int64_t kv) {
      llmdrop::SpeedResult r;
      r.context = context, r.new_tokens = 4, r.decode_tokens_per_second = decode, r.kv_cache_bytes = kv;
      r.prefill_tokens_per_second = 10 * decode;
      return r;
    };
    w.speed_panel()->add_results(
        {"full", "attn 1,4 · mlp 2 dropped"},
        {{round(8, 300, 6 << 10), round(64, 250, 40 << 10), round(512, 120, 300 << 10)},
         {round(8, 420, 4 << 10), round(64, 360, 27 << 10), round(512, 170, 200 << 10)}});
    QCOMPARE(w.speed_panel()->message(), QString("Measured 2 configurations"));
    w.speed_panel()->add_results(
        {"mlp 0 dropped"}, {{round(8, 330, 6 << 10), round(64, 270, 40 << 10), round(512, 130, 300 << 10)}});
    QCOMPARE(w.speed_panel()->message(), QString("Measured 1 configuration (3 shown)"));
    for (QWidget* page : QList<QWidget*>{w.eval_panel(), w.speed_panel(), w.compare_view()}) {
      w.show_tab(page);
      QApplication::processEvents();
      for (const QWidget* plot : plots_in(page) + QList<const QWidget*>{w.heatmap()->plot_widget()}) {
        const widgets::PlotReport report = widgets::describe_plot(plot);
        const QByteArray what = plot->parentWidget()->metaObject()->className();
        QVERIFY2(report.has_data && report.axes_visible, what);
        QVERIFY2(!report.key_label.isEmpty() && !report.value_label.isEmpty(), what);
        for (const QPoint& point : report.data_points) QVERIFY2(report.data_area.contains(point), what);
        if (report.legend_visible) QVERIFY2(!report.legend.intersects(report.data_area), what);
      }
    }
    const widgets::PlotReport map = widgets::describe_plot(w.heatmap()->plot_widget());
    QVERIFY2(map.colour_ticks.size() >= 4, qPrintable(QString::number(map.colour_ticks.size())));
    const widgets::PlotReport chart = widgets::describe_plot(plots_in(w.eval_panel()).value(0));
    QCOMPARE(chart.value_lower, 0.0);
    QVERIFY(chart.value_upper <= 1.0);
    QCOMPARE(chart.category_labels, w.eval_panel()->chart_rows());
    QVERIFY(chart.legend_visible);
    const QList<const QWidget*> speed_plots = plots_in(w.speed_panel());
    QCOMPARE(speed_plots.size(), 2);
    for (const QWidget* plot : speed_plots) {
      const widgets::PlotReport report = widgets::describe_plot(plot);
      QVERIFY(report.value_lower >= 0);
      QVERIFY(report.data_points.size() == 9 || report.data_points.size() == 3);  // decode curves, KV bars
    }
    // No clipped column header in the speed table.
    auto* table = w.speed_panel()->findChild<QTableWidget*>();
    QVERIFY(table);
    for (int c = 0; c < table->columnCount(); ++c)
      QVERIFY2(table->horizontalHeader()->sectionSize(c) >= table->horizontalHeader()->sectionSizeHint(c),
               qPrintable(table->horizontalHeaderItem(c)->text()));
  }

  // Closing with unsaved changes asks first (without blocking: the question is window-modal): Cancel keeps
  // the window, Discard closes it; with everything saved it closes at once.
  void closingWithUnsavedChangesAsks() {
    MainWindow w;
    QVERIFY(open_and_score(w, kModel));
    QVERIFY(!w.close_guard()->unsaved());
    click(w, ModuleKind::Attn, 2);
    QVERIFY(w.close_guard()->unsaved());
    QVERIFY(!w.close());
    QMessageBox* question = w.close_guard()->question();
    QVERIFY(question && question->isVisible());
    QTest::mouseClick(question->button(QMessageBox::Cancel), Qt::LeftButton);
    QApplication::processEvents();
    QVERIFY(w.isVisible());
    QTemporaryDir tmp;
    QVERIFY(w.save_project(tmp.filePath("saved.llmdrop.json")));
    QVERIFY(!w.close_guard()->unsaved());
    click(w, ModuleKind::Attn, 3);
    QVERIFY(!w.close());
    QTest::mouseClick(w.close_guard()->question()->button(QMessageBox::Discard), Qt::LeftButton);
    QApplication::processEvents();
    QVERIFY(!w.isVisible());
    MainWindow saved;
    QVERIFY(open_and_score(saved, kModel));
    QVERIFY(saved.close());  // nothing to save: no question
  }

  // Help: About says the version, the workflow is there in short, and the shortcuts are the menus' own.
  void helpMenuExplainsTheWorkbench() {
    MainWindow w;
    w.show();
    QMenu* help = nullptr;
    for (QAction* menu : w.menuBar()->actions())
      if (menu->text() == "&Help") help = menu->menu();
    QVERIFY(help);
    QStringList texts;
    for (QAction* action : help->actions()) {
      if (action->isSeparator()) continue;
      action->trigger();
      auto* box = w.findChild<QMessageBox*>("help");
      QVERIFY2(box && box->isVisible(), qPrintable(action->text()));
      texts << box->text();
      box->close();
      QApplication::processEvents();
    }
    const QString all = texts.join('\n');
    QVERIFY2(all.contains(QRegularExpression("LLM-Drop Workbench \\d+\\.\\d+\\.\\d+")), qPrintable(all));
    QVERIFY2(all.contains("Open model…: Ctrl+O") && all.contains("Undo: Ctrl+Z"), qPrintable(all));
    QVERIFY2(all.contains("importance map") && all.contains("Compare"), qPrintable(all));
  }

  // A model that does not open leaves the one shown as it was: its map, its plan, its actions.
  void failedOpenKeepsTheModelShown() {
    MainWindow w;
    QVERIFY(open_and_score(w, kModel));
    click(w, ModuleKind::Attn, 3);
    QSignalSpy failed(&w, &MainWindow::openFailed);
    w.open_model("/nonexistent/model");
    QVERIFY(failed.wait(60000));
    dismiss_messages(w);
    QVERIFY(w.heatmap()->isVisible());
    QCOMPARE(w.drop_plan(), (DropPlan{{3}, {}}));
    click(w, ModuleKind::Attn, 4);
    QCOMPARE(w.drop_plan(), (DropPlan{{3, 4}, {}}));
    QString error;
    QTemporaryDir tmp;
    QVERIFY2(w.save_project(tmp.filePath("after.llmdrop.json"), &error), qPrintable(error));
    const auto saved = nlohmann::json::parse(read_all(tmp.filePath("after.llmdrop.json")).toStdString());
    QCOMPARE(QString::fromStdString(saved["model"].get<std::string>()), kModel);
  }
};

QTEST_MAIN(MainWindowTest)
#include "tst_main_window.moc"
