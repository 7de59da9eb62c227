#include "job_manager.h"

#include <QtConcurrent>

namespace llmdrop::widgets {

JobManager::JobManager(QObject* parent) : QObject(parent) {
  pool_.setMaxThreadCount(8);  // jobs wait on I/O and torch's own threads, not on this count
}

JobManager::~JobManager() {
  for (auto& job : jobs_) job.context->cancel();
  for (auto& job : jobs_) job.future.waitForFinished();
}

QString JobManager::title(int id) const {
  return jobs_.contains(id) ? jobs_[id].title : QString();
}

int JobManager::start(const QString& title, Work work, JobHandlers handlers) {
  const int id = next_id_++;
  // Progress is posted to this object's thread; a queued call to a deleted receiver is dropped by Qt, and the
  // destructor waits for every worker, so no callback outlives the manager.
  auto context = std::make_shared<JobContext>([this, id](const Progress& p) {
    QMetaObject::invokeMethod(
        this, [this, id, p] { emit progressed(id, p.done, p.total, QString::fromStdString(p.message)); },
        Qt::QueuedConnection);
  });
  Job job{title, context, {}};
  job.future =
      QtConcurrent::run(&pool_, [this, id, context, work = std::move(work), handlers = std::move(handlers)] {
        QString error;
        bool was_cancelled = false;
        try {
          work(*context);  // finished: a cancel that came too late does not undo what it wrote
        } catch (const Error& e) {
          was_cancelled = e.kind() == Error::Kind::Cancelled;
          error = QString::fromStdString(e.what());
        } catch (const std::exception& e) {
          error = QString::fromStdString(e.what());
        } catch (...) {
          error = tr("unknown error");
        }
        QMetaObject::invokeMethod(
            this,
            [this, id, error, was_cancelled, handlers] {
              finish(id);
              if (was_cancelled) {
                emit cancelled(id);
                if (handlers.cancelled) handlers.cancelled();
              } else if (!error.isEmpty()) {
                emit failed(id, error);
                if (handlers.failed) handlers.failed(error);
              } else {
                emit succeeded(id);
                if (handlers.succeeded) handlers.succeeded();
              }
            },
            Qt::QueuedConnection);
      });
  jobs_.insert(id, job);
  emit started(id, title);
  return id;
}

void JobManager::cancel(int id) {
  if (jobs_.contains(id)) jobs_[id].context->cancel();
}

void JobManager::finish(int id) {
  jobs_.remove(id);
}

}  // namespace llmdrop::widgets
