// How quickly the workbench follows a click on the importance map: the wall time from a change of the drop
// plan until the impact panel shows both the held-out perplexity (the last 2048 tokens of the bundled text)
// and the measured decode speedup (its first figure, after one interleaved pair), and until that speedup
// settled, for one attention layer toggled ten times. The perplexity re-runs only the layers from the one
// toggled on (the first drop of layer L re-runs layers L…), and a plan measured last is remembered: the full
// model's, and the drop's after its first time; the decode speedup is measured anew at every toggle. It
// drives the workbench's SessionController and ImpactTracker offscreen (no clicks; the 400 ms pause in
// editing that starts the measurements is left out). With --reload the same toggles run again, every job
// loading a model of its own and measuring in full, as the workbench did before sessions. Targets: median ≤
// 0.3 s on the CPU demo model, ≤ 1.5 s for the Llama-2-7B shape on a GPU.
//
//   bench_toggle_latency [MODEL | --model DIR] [--device cpu|cuda:N] [--dtype T] [--layer N] [--toggles N]
//                        [--random-weights --shape NAME] [--reload]
//   (--random-weights: random weights of the shape, made on the device, with MODEL's tokenizer — the demo
//   model's by default; QT_QPA_PLATFORM=offscreen without a display)
#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <optional>
#include <vector>

#include "bench_args.h"
#include "impact_panel.h"
#include "impact_tracker.h"
#include "model/shapes.h"
#include "plan_history.h"
#include "session_controller.h"

namespace {

using llmdrop::DropPlan;
using llmdrop::workbench::ImpactTracker;
using llmdrop::workbench::SessionController;

struct Toggle {
  DropPlan plan;
  double seconds = 0;            // both shown
  double settled_seconds = 0;    // the speedup settled (or said too noisy)
  QString perplexity, measured;  // as the panel shows them
};

struct Run {
  double open_seconds = 0, full_seconds = 0;  // opening; the first measurements (the full model's too)
  std::vector<Toggle> toggles;
  int models_loaded = 0;
};

struct Setup {
  QString label;  // the model, as printed
  std::function<llmdrop::Checkpoint()> checkpoint;
  QString device, dtype;
  int64_t layer = 0, toggles = 0;
};

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Runs the event loop until `done` returns true; false when `limit_s` passed first. It sleeps between events
// (processEvents with a time limit would spin, taking a core from the jobs measured).
bool wait_for(const std::function<bool()>& done, double limit_s) {
  QElapsedTimer clock;
  clock.start();
  QTimer wake;  // to look at the clock while no job reports
  wake.start(100);
  while (!done()) {
    if (clock.elapsed() > limit_s * 1000) return false;
    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
  }
  return true;
}

// Opens the model, shows the full model's measurements, then toggles the layer; nullopt (and a message) when
// something failed.
std::optional<Run> run(const Setup& setup, SessionController::Residency residency) {
  SessionController sessions(nullptr, residency);
  QString error;
  if (!sessions.place(setup.device, setup.dtype, &error))
    return std::fprintf(stderr, "bench_toggle_latency: %s\n", qPrintable(error)), std::nullopt;
  Run result;
  QElapsedTimer clock;
  clock.start();
  bool opened = false;
  sessions.open(QStringLiteral("Open %1").arg(setup.label), setup.label, setup.checkpoint, &sessions,
                {[&](const llmdrop::Checkpoint&) { opened = true; },
                 [&](const QString& message) { error = message; },
                 {}});
  if (!wait_for([&] { return opened || !error.isEmpty(); }, 3600) || !opened)
    return std::fprintf(stderr, "bench_toggle_latency: cannot open: %s\n", qPrintable(error)), std::nullopt;
  result.open_seconds = double(clock.nsecsElapsed()) * 1e-9;

  llmdrop::widgets::ImpactPanel panel;
  int perplexities = 0, speeds = 0;
  ImpactTracker tracker(&sessions, &panel, {[&] { ++perplexities; }, [&] { ++speeds; }});
  // Seconds until the panel shows both measurements of `plan`, and until the speedup settled.
  auto measure = [&](const DropPlan& plan) -> std::optional<std::pair<double, double>> {
    panel.show_perplexity_pending();
    panel.show_measured_pending();
    const QString pending_perplexity = panel.perplexity_text(), pending_speed = panel.measured_text();
    perplexities = speeds = 0;
    clock.restart();
    tracker.measure(plan);
    // A failed measurement replaces the pending text too, without a call back.
    wait_for(
        [&] {
          return panel.perplexity_text() != pending_perplexity && panel.measured_text() != pending_speed;
        },
        3600);
    const double shown = double(clock.nsecsElapsed()) * 1e-9;
    const QString failed = QStringLiteral("not available");
    wait_for(
        [&] {
          return (perplexities && speeds) || panel.perplexity_text().startsWith(failed) ||
                 panel.measured_text().startsWith(failed);
        },
        3600);
    const double settled = double(clock.nsecsElapsed()) * 1e-9;
    if (perplexities && speeds) return std::pair{shown, settled};
    std::fprintf(stderr, "bench_toggle_latency: %s / %s\n", qPrintable(panel.perplexity_text()),
                 qPrintable(panel.measured_text()));
    return std::nullopt;
  };
  const auto full = measure({});
  if (!full) return std::nullopt;
  result.full_seconds = full->second;
  DropPlan plan;
  for (int64_t i = 0; i < setup.toggles; ++i) {
    plan = llmdrop::toggled(plan, llmdrop::ModuleKind::Attn, setup.layer);
    const auto seconds = measure(plan);
    if (!seconds) return std::nullopt;
    result.toggles.push_back(
        {plan, seconds->first, seconds->second, panel.perplexity_text(), panel.measured_text()});
  }
  result.models_loaded = sessions.models_loaded();
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  llmdrop::bench::BenchArgs defaults;
  defaults.integers = {{"layer", 1}, {"toggles", 10}};
  defaults.strings = {{"model", ""}, {"shape", "llama2-7b"}};
  defaults.flags = {{"random-weights", false}, {"reload", false}};
  auto args = llmdrop::bench::parse_bench_args("bench_toggle_latency", argc, argv, defaults);
  if (!args) return 2;
  if (!args->strings["model"].empty()) args->model = args->strings["model"];
  Setup setup;
  setup.device = QString::fromStdString(args->device);
  setup.dtype = QString::fromStdString(args->dtype);
  setup.layer = args->integers["layer"];
  setup.toggles = args->integers["toggles"];
  if (args->flags["random-weights"]) {
    const std::string shape = args->strings["shape"];
    setup.label = QStringLiteral("random %1 (tokenizer of %2)")
                      .arg(QString::fromStdString(shape), QString::fromStdString(args->model));
    setup.checkpoint = [shape, tokenizer = args->model] {
      llmdrop::Checkpoint random;  // no tensors: the session's model makes random weights on the device
      random.dir = tokenizer;
      random.config = llmdrop::shape_config(shape);
      return random;
    };
  } else {
    setup.label = QString::fromStdString(args->model);
    setup.checkpoint = [dir = args->model] { return llmdrop::Checkpoint::open(dir); };
  }

  const auto resident = run(setup, SessionController::Residency::Resident);
  if (!resident) return 1;
  std::optional<Run> reload;
  if (args->flags["reload"]) {
    reload = run(setup, SessionController::Residency::LoadPerJob);
    if (!reload) return 1;
  }
  std::printf(
      "attention layer %lld toggled %lld times; model %s on %s (%s): seconds from the change of plan until "
      "the "
      "held-out perplexity (%lld tokens) and the measured decode speedup (%lld steps after %lld tokens, its "
      "first figure) are both shown, and until the speedup settled (the 400 ms pause in editing not "
      "included)\n",
      static_cast<long long>(setup.layer), static_cast<long long>(setup.toggles), qPrintable(setup.label),
      qPrintable(setup.device), qPrintable(setup.dtype),
      static_cast<long long>(SessionController::kHeldOutTokens),
      static_cast<long long>(SessionController::kDecodeSteps),
      static_cast<long long>(SessionController::kDecodeContext));
  std::printf(
      "| toggle | plan | resident s | settled s |%s perplexity | decode speedup "
      "|\n|---|---|---|---|%s---|---|\n",
      reload ? " reload s |" : "", reload ? "---|" : "");
  // Restoring the layer brings back the full model, whose perplexity is known already; so is the drop's after
  // its first time. The first drop shows what a plan never measured costs.
  std::vector<double> all, drops, settled, settled_drops, reload_all, reload_drops;
  for (size_t i = 0; i < resident->toggles.size(); ++i) {
    const Toggle& t = resident->toggles[i];
    all.push_back(t.seconds);
    settled.push_back(t.settled_seconds);
    if (!t.plan.empty()) drops.push_back(t.seconds), settled_drops.push_back(t.settled_seconds);
    QString reloaded;
    if (reload) {
      const double s = reload->toggles[i].seconds;
      reload_all.push_back(s);
      if (!t.plan.empty()) reload_drops.push_back(s);
      reloaded = QStringLiteral(" %1 |").arg(s, 0, 'f', 3);
    }
    std::printf("| %zu | %s | %.3f | %.3f |%s %s | %s |\n", i + 1,
                qPrintable(llmdrop::workbench::PlanHistory::label(t.plan)), t.seconds, t.settled_seconds,
                qPrintable(reloaded), qPrintable(t.perplexity), qPrintable(t.measured));
  }
  auto median_row = [&](const char* label, const std::vector<double>& ours,
                        const std::vector<double>& ours_settled, const std::vector<double>& theirs) {
    std::printf("| %s | | %.3f | %.3f |%s | |\n", label, median(ours), median(ours_settled),
                reload ? qPrintable(QStringLiteral(" %1 |").arg(median(theirs), 0, 'f', 3)) : "");
  };
  median_row("median", all, settled, reload_all);
  median_row("median of the drops", drops, settled_drops, reload_drops);
  std::printf("resident: opened in %.2f s, the full model's first measurements %.2f s, %d model load(s)\n",
              resident->open_seconds, resident->full_seconds, resident->models_loaded);
  if (reload)
    std::printf("reload: opened in %.2f s, the full model's first measurements %.2f s, %d model load(s)\n",
                reload->open_seconds, reload->full_seconds, reload->models_loaded);
  return 0;
}
