// The parts of the CLI's progress lines (app/cli/progress), against values worked out by hand.
#include <QtTest>

#include "cli/progress.h"

using llmdrop::Progress;
using llmdrop::cli::format_duration;
using llmdrop::cli::format_rate;
using llmdrop::cli::progress_line;

class ProgressTest : public QObject {
  Q_OBJECT

 private slots:
  void durationsRoundToTheSecond() {
    QCOMPARE(format_duration(0), std::string("0:00"));
    QCOMPARE(format_duration(7.4), std::string("0:07"));
    QCOMPARE(format_duration(7.5), std::string("0:08"));
    QCOMPARE(format_duration(65), std::string("1:05"));
    QCOMPARE(format_duration(599.6), std::string("10:00"));
    QCOMPARE(format_duration(3723), std::string("1:02:03"));  // 1 h + 2 min + 3 s
    QCOMPARE(format_duration(-3), std::string("0:00"));
  }

  void ratesKeepThreeFiguresOrSaySecondsEach() {
    QCOMPARE(format_rate(850), std::string("850/s"));
    QCOMPARE(format_rate(12.46), std::string("12.5/s"));
    QCOMPARE(format_rate(2.5), std::string("2.50/s"));
    QCOMPARE(format_rate(0.25), std::string("4.0 s each"));
  }

  void runningLineShowsFractionRateAndTimeLeft() {
    // 312 of 629 windows in 39 s: 8 windows/s, 317 left → 39.6 s → 0:40; 31200 / 629 = 49.6 → 49 %.
    QCOMPARE(progress_line("perplexity", Progress{312, 629, "window 313/629"}, 312, 39.0, false),
             std::string("[perplexity] 312/629 window 313/629  (49%, 8.00/s, 0:40 left)"));
    // The rate counts from the phase's start: 10 of the 40 done took 5 s → 2/s, 20 left → 0:10.
    QCOMPARE(progress_line("score", Progress{40, 60, ""}, 10, 5.0, false),
             std::string("[score] 40/60  (66%, 2.00/s, 0:10 left)"));
    // Nothing counted yet: no rate, no estimate.
    QCOMPARE(progress_line("load", Progress{0, 13, "embeddings"}, 0, 0.0, false),
             std::string("[load] 0/13 embeddings  (0%)"));
    QCOMPARE(progress_line("load", Progress{0, 0, "loading"}, 0, 1.0, false),
             std::string("[load] 0/0 loading"));
  }

  void finalLineShowsTimeTakenAndRate() {
    // 629 windows in 73 s: 8.616/s, 1:13.
    QCOMPARE(progress_line("perplexity", Progress{629, 629, "done"}, 629, 73.0, true),
             std::string("[perplexity] 629/629 done in 1:13 (8.62/s)"));
    // A generation that stopped at EOS after 12 of 40 tokens in 0.8 s: 15/s.
    QCOMPARE(progress_line("generate", Progress{12, 40, "generating"}, 12, 0.8, true),
             std::string("[generate] 12/40 generating in 0:01 (15.0/s)"));
    QCOMPARE(progress_line("load", Progress{13, 13, "loaded"}, 0, 0.0, true),
             std::string("[load] 13/13 loaded in 0:00"));
  }
};

QTEST_GUILESS_MAIN(ProgressTest)
#include "tst_progress.moc"
