// How responsive the workbench stays while it works: the event-loop delay (how late a 10 ms timer fires)
// measured while the main window opens a model and computes its importance map in the background, next to
// the same measurement with the window idle. Target: worst delay under 50 ms.
//
//   bench_ui_latency [MODEL]      (default: the bundled demo model; QT_QPA_PLATFORM=offscreen without a
//   display)
#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <vector>

#include "checkpoint/default_model.h"
#include "main_window.h"

namespace {

struct Delays {
  std::vector<double> ms;
  double percentile(double q) const {
    std::vector<double> v = ms;
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[static_cast<size_t>(q * double(v.size() - 1))];
  }
};

// Runs the event loop until `done` returns true (or `limit_ms` passes), recording how late each 10 ms tick
// arrives.
Delays measure(const std::function<bool()>& done, int limit_ms) {
  Delays d;
  QElapsedTimer clock;
  clock.start();
  qint64 last = clock.elapsed();
  QTimer tick;
  tick.setTimerType(Qt::PreciseTimer);
  QObject::connect(&tick, &QTimer::timeout, [&] {
    const qint64 now = clock.elapsed();
    d.ms.push_back(std::max<double>(0, double(now - last) - 10.0));
    last = now;
  });
  tick.start(10);
  while (!done() && clock.elapsed() < limit_ms)
    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
  return d;
}

void print_row(const char* label, const Delays& d) {
  std::printf("| %s | %zu | %.1f | %.1f | %.1f | %s |\n", label, d.ms.size(), d.percentile(0.5),
              d.percentile(0.99), d.percentile(1.0), d.percentile(1.0) < 50 ? "yes" : "no");
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QString model = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
  if (model.isEmpty()) {
    const auto demo = llmdrop::find_demo_model(QCoreApplication::applicationDirPath().toStdString());
    if (!demo) {
      std::fprintf(stderr, "bench_ui_latency: no MODEL given and the demo model was not found\n");
      return 2;
    }
    model = QString::fromStdString(demo->string());
  }
  llmdrop::workbench::MainWindow window;
  window.resize(960, 720);
  window.show();
  std::printf("event-loop delay (ms late for a 10 ms timer), model %s\n", qPrintable(model));
  std::printf("| phase | ticks | p50 ms | p99 ms | worst ms | under 50 ms |\n|---|---|---|---|---|---|\n");
  print_row("idle", measure([] { return false; }, 1000));
  bool ready = false, failed = false;
  QObject::connect(&window, &llmdrop::workbench::MainWindow::scoresReady, [&] { ready = true; });
  QObject::connect(&window, &llmdrop::workbench::MainWindow::scoreFailed, [&] { failed = true; });
  QObject::connect(&window, &llmdrop::workbench::MainWindow::openFailed, [&] { failed = true; });
  window.open_model(model);
  const Delays busy = measure([&] { return ready || failed; }, 600000);
  if (!ready) {
    std::fprintf(stderr, "bench_ui_latency: the model could not be opened or scored\n");
    return 1;
  }
  print_row("opening + scoring in the background", busy);
  return 0;
}
