#include "support/process_run.h"

#include <QProcess>
#include <QProcessEnvironment>

namespace llmdrop::test {

ProcessRun run_program(const char* program_variable, const QStringList& args, const ProcessOptions& options) {
  QProcess p;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  for (const auto& [name, value] : options.env) env.insert(name, value);
  p.setProcessEnvironment(env);
  p.start(QString::fromLocal8Bit(qgetenv(program_variable)), args);
  ProcessRun r;
  r.finished = p.waitForFinished(options.timeout_ms);
  if (!r.finished) {
    p.kill();
    p.waitForFinished();
  }
  r.code = r.finished && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = p.readAllStandardOutput().toStdString();
  r.err = p.readAllStandardError().toStdString();
  return r;
}

}  // namespace llmdrop::test
