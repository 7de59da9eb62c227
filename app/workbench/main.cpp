// llmdrop-workbench [MODEL | --project FILE] [--device DEVICE] [--size WxH] [--tab PAGE]
//                   [--screenshot FILE [--evaluate TASKS --data-dir DIR --limit N | --compare N |
//                   --task-importance TASKS --data-dir DIR --limit N | --lens PROMPT | --heal TEXT]]
//                   [--language LANG]
#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimer>
#include <QTranslator>
#include <cstdio>
#include <exception>
#include <memory>

#include "checkpoint/default_model.h"
#include "compare_view.h"
#include "drop_control.h"
#include "eval_panel.h"
#include "heal_panel.h"
#include "help_menu.h"
#include "lens_grid.h"
#include "main_window.h"
#include "speed_panel.h"

namespace {
void install_translations(QApplication& app, const QString& language) {
  const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
  auto* ours = new QTranslator(&app);
  if (ours->load(locale, QStringLiteral("llmdrop"), QStringLiteral("_"), QStringLiteral(":/i18n")))
    app.installTranslator(ours);
  auto* qt = new QTranslator(&app);
  if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
               QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
    app.installTranslator(qt);
}

// "1366x768" → that size; an invalid size otherwise.
QSize parse_size(const QString& text) {
  const auto match = QRegularExpression(QStringLiteral("^(\\d{3,5})x(\\d{3,5})$")).match(text);
  return match.hasMatch() ? QSize(match.captured(1).toInt(), match.captured(2).toInt()) : QSize();
}

// The page --tab names; nullptr when none has that name.
QWidget* page_named(const llmdrop::workbench::MainWindow& window, const QString& name) {
  if (name == QLatin1String("evaluation")) return window.eval_panel();
  if (name == QLatin1String("speed")) return window.speed_panel();
  if (name == QLatin1String("compare")) return window.compare_view();
  if (name == QLatin1String("lens")) return window.lens_view();
  if (name == QLatin1String("heal")) return window.heal_panel();
  return nullptr;
}

// Parses the command line, shows the window and runs the event loop; the exit code.
int run(QApplication& app) {
  QApplication::setApplicationName(QStringLiteral("llmdrop-workbench"));
  QApplication::setOrganizationName(QStringLiteral("llmdrop"));
  QApplication::setApplicationVersion(llmdrop::workbench::HelpMenu::version());
  QCommandLineParser cli;
  cli.setApplicationDescription(
      QStringLiteral("LLM-Drop Workbench: find and remove redundancy in language models"));
  cli.addHelpOption();
  cli.addVersionOption();
  cli.addPositionalArgument(QStringLiteral("MODEL"),
                            QStringLiteral("Hugging Face model folder or cache entry"));
  QCommandLineOption screenshot(
      QStringLiteral("screenshot"),
      QStringLiteral("open MODEL, compute its importance map, save a PNG of the window "
                     "to FILE and exit"),
      QStringLiteral("FILE"));
  QCommandLineOption language(QStringLiteral("language"), QStringLiteral("UI language, e.g. de or zh_CN"),
                              QStringLiteral("LANG"));
  QCommandLineOption evaluate(
      QStringLiteral("evaluate"),
      QStringLiteral("with --screenshot: after the importance map, evaluate these tasks "
                     "(comma-separated), print the results table, then save"),
      QStringLiteral("TASKS"));
  QCommandLineOption data_dir(QStringLiteral("data-dir"), QStringLiteral("evaluation data folder"),
                              QStringLiteral("DIR"));
  QCommandLineOption limit(QStringLiteral("limit"), QStringLiteral("documents per task (0 = all)"),
                           QStringLiteral("N"), QStringLiteral("100"));
  QCommandLineOption compare(
      QStringLiteral("compare"),
      QStringLiteral(
          "with --screenshot: after the importance map, compare plan A (the N least important attention "
          "layers) with plan B (the N least important blocks) in the compare view, then save"),
      QStringLiteral("N"));
  QCommandLineOption device(
      QStringLiteral("device"),
      QStringLiteral(
          "where jobs run: cpu (default), cuda:N, or several as cuda:0,cuda:1 (the layers placed over them)"),
      QStringLiteral("DEVICE"), QStringLiteral("cpu"));
  QCommandLineOption project(QStringLiteral("project"),
                             QStringLiteral("open this project file (File → Save project) instead of MODEL"),
                             QStringLiteral("FILE"));
  QCommandLineOption size(QStringLiteral("size"),
                          QStringLiteral("window size in pixels (with --screenshot: 1366x768 unless given)"),
                          QStringLiteral("WxH"));
  QCommandLineOption tab(QStringLiteral("tab"),
                         QStringLiteral("show this page: evaluation, speed, compare, lens or heal"),
                         QStringLiteral("PAGE"));
  QCommandLineOption task_importance(
      QStringLiteral("task-importance"),
      QStringLiteral(
          "with --screenshot: after the importance map, map each module's importance for these tasks "
          "(comma-separated; --data-dir, --limit)"),
      QStringLiteral("TASKS"));
  QCommandLineOption lens(
      QStringLiteral("lens"),
      QStringLiteral("with --screenshot: after the importance map, the logit lens of PROMPT"),
      QStringLiteral("PROMPT"));
  QCommandLineOption heal(
      QStringLiteral("heal"),
      QStringLiteral(
          "with --screenshot: after the importance map, drop the 4 least important blocks and heal "
          "them on TEXT (100 steps of 4 x 256 tokens, into a temporary folder)"),
      QStringLiteral("TEXT"));
  cli.addOptions({screenshot, language, evaluate, data_dir, limit, compare, task_importance, lens, heal,
                  device, project, size, tab});
  cli.process(app);
  install_translations(app, cli.value(language));

  llmdrop::workbench::MainWindow window;
  if (QString error; !window.set_device(cli.value(device), &error)) {
    std::fprintf(stderr, "llmdrop-workbench: %s\n", qPrintable(error));
    return 2;
  }
  if (cli.isSet(size) || cli.isSet(screenshot)) {
    const QSize wanted = parse_size(cli.isSet(size) ? cli.value(size) : QStringLiteral("1366x768"));
    if (!wanted.isValid()) {
      std::fprintf(stderr, "llmdrop-workbench: --size '%s' is not WIDTHxHEIGHT\n",
                   qPrintable(cli.value(size)));
      return 2;
    }
    window.resize(wanted);
  }
  QWidget* page = cli.isSet(tab) ? page_named(window, cli.value(tab)) : nullptr;
  if (cli.isSet(tab) && !page) {
    std::fprintf(stderr, "llmdrop-workbench: --tab '%s' is not evaluation, speed, compare, lens or heal\n",
                 qPrintable(cli.value(tab)));
    return 2;
  }
  if (page) window.show_tab(page);
  window.show();
  QStringList models = cli.positionalArguments();
  if (models.isEmpty() && !cli.isSet(project)) {  // start on the bundled demo model
    if (const auto demo = llmdrop::find_demo_model(QCoreApplication::applicationDirPath().toStdString()))
      models << QString::fromStdString(demo->string());
  }
  if (cli.isSet(screenshot)) {
    if (models.isEmpty() && !cli.isSet(project)) {
      std::fprintf(stderr, "llmdrop-workbench: --screenshot needs a MODEL (the demo model was not found)\n");
      return 2;
    }
    const QString file = cli.value(screenshot);
    auto save = [&window, file, page](int code) {
      if (page) window.show_tab(page);
      // The page laid out and its plots drawn at their size: layout requests cascade over a few rounds.
      for (int round = 0; round < 3; ++round) QApplication::processEvents();
      if (!window.grab().save(file)) {
        std::fprintf(stderr, "llmdrop-workbench: cannot write %s\n", qPrintable(file));
        code = 1;
      }
      QApplication::exit(code);
    };
    if (cli.isSet(evaluate)) {
      auto* panel = window.eval_panel();
      panel->set_selected_tasks(cli.value(evaluate).split(','));
      if (cli.isSet(data_dir)) panel->set_data_dir(cli.value(data_dir));
      panel->set_limit(cli.value(limit).toInt());
      QObject::connect(&window, &llmdrop::workbench::MainWindow::scoresReady,
                       [&window] { window.evaluate(); });
      QObject::connect(&window, &llmdrop::workbench::MainWindow::evaluationFinished, [save, panel] {
        std::printf("%s\n", qPrintable(panel->results_text()));
        save(0);
      });
      QObject::connect(&window, &llmdrop::workbench::MainWindow::evaluationFailed,
                       [save](const QString& message) {
                         std::fprintf(stderr, "llmdrop-workbench: evaluation: %s\n", qPrintable(message));
                         save(1);
                       });
    } else if (cli.isSet(compare)) {
      const int n = cli.value(compare).toInt();
      QObject::connect(&window, &llmdrop::workbench::MainWindow::scoresReady, [&window, n] {
        auto* control = window.drop_control();
        control->set_request(QStringLiteral("attn"), n, QStringLiteral("discrete"));
        control->replace_button()->click();
        window.compare_view()->pin_button()->click();
        control->set_request(QStringLiteral("block"), n, QStringLiteral("discrete"));
        control->replace_button()->click();
        window.show_tab(window.compare_view());
        window.compare_view()->run_button()->click();
      });
      QObject::connect(&window, &llmdrop::workbench::MainWindow::comparisonMeasured, [save] { save(0); });
    } else if (cli.isSet(task_importance)) {
      if (cli.isSet(data_dir)) window.eval_panel()->set_data_dir(cli.value(data_dir));
      // The first map (cosine), then the tasks' map.
      QObject::connect(&window, &llmdrop::workbench::MainWindow::scoresReady,
                       [&window, save, tasks = cli.value(task_importance), n = cli.value(limit).toInt()] {
                         auto* control = window.drop_control();
                         if (control->metric() == llmdrop::Metric::Task) return save(0);
                         control->set_tasks(tasks, n);
                         control->set_metric(llmdrop::Metric::Task);
                       });
    } else if (cli.isSet(heal)) {
      auto healed_dir = std::make_shared<QTemporaryDir>();
      QObject::connect(&window, &llmdrop::workbench::MainWindow::scoresReady,
                       [&window, healed_dir, text = cli.value(heal)] {
                         auto* control = window.drop_control();
                         control->set_request(QStringLiteral("block"), 4, QStringLiteral("discrete"));
                         control->replace_button()->click();
                         auto* panel = window.heal_panel();
                         panel->set_settings({.data = text,
                                              .out = healed_dir->filePath(QStringLiteral("healed")),
                                              .steps = 100,
                                              .batch_size = 4,
                                              .seq_len = 256});
                         window.show_tab(panel);
                         panel->heal_button()->click();
                       });
      QObject::connect(&window, &llmdrop::workbench::MainWindow::healFinished, [save, &window, healed_dir] {
        std::printf("%s\n%s\n", qPrintable(window.heal_panel()->perplexity_text()),
                    qPrintable(window.heal_panel()->message()));
        save(0);
      });
    } else if (cli.isSet(lens)) {
      QObject::connect(&window, &llmdrop::workbench::MainWindow::scoresReady,
                       [&window, prompt = cli.value(lens)] {
                         window.lens_view()->set_prompt(prompt);
                         window.show_tab(window.lens_view());
                         window.lens_view()->show_button()->click();
                       });
      QObject::connect(&window, &llmdrop::workbench::MainWindow::lensShown, [save] { save(0); });
    } else {
      QObject::connect(&window, &llmdrop::workbench::MainWindow::scoresReady, [save, &window] {
        std::printf("importance map computed by a background job on %s\n", qPrintable(window.device()));
        save(0);
      });
    }
    QObject::connect(&window, &llmdrop::workbench::MainWindow::scoreFailed, [save](const QString& message) {
      std::fprintf(stderr, "llmdrop-workbench: importance map: %s\n", qPrintable(message));
      save(1);
    });
    QObject::connect(&window, &llmdrop::workbench::MainWindow::openFailed, [save](const QString& message) {
      std::fprintf(stderr, "llmdrop-workbench: %s\n", qPrintable(message.section(QLatin1Char('\n'), 1)));
      save(2);
    });
  }
  if (cli.isSet(project))
    QTimer::singleShot(0, &window, [&window, f = cli.value(project)] { window.open_project(f); });
  else if (!models.isEmpty())
    QTimer::singleShot(0, &window, [&window, m = models.first()] { window.open_model(m); });
  return app.exec();
}
}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  // The window reports its own errors; this is the last resort for one that escapes, instead of an abort.
  try {
    return run(app);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "llmdrop-workbench: %s\n", e.what());
  }
  return 1;
}
