#include "support/process_run.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <sstream>

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

bool ends_with_one_error(const std::string& err) {
  const std::string prefix = "llmdrop: error: ";
  const size_t at = err.find(prefix);
  if (at == std::string::npos || err.find(prefix, at + 1) != std::string::npos) return false;
  if ((at > 0 && err[at - 1] != '\n') || err.back() != '\n') return false;
  std::istringstream continuation(err.substr(err.find('\n', at) + 1));
  for (std::string line; std::getline(continuation, line);)
    if (line.size() < 3 || line.compare(0, 2, "  ") != 0 || line[2] == ' ') return false;
  return true;
}

}  // namespace llmdrop::test
