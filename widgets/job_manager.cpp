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
  return launch(
      title,
      [work = std::move(work)](JobContext& job) {
        work(job);
        return Delivery();
      },
      std::move(handlers));
}

int JobManager::launch(const QString& title, std::function<Delivery(JobContext&)> work,
                       JobHandlers handlers) {
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
        Delivery delivery;
        try {
          delivery = work(*context);  // finished: a cancel that came too late does not undo what it wrote
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
            [this, id, error, was_cancelled, delivery, handlers] {
              deliver(id, error, was_cancelled, delivery, handlers);
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

namespace {
// Runs `call`; what it throws, as a message (empty when it returned).
template <typename Call>
QString message_of(Call&& call) {
  try {
    call();
    return {};
  } catch (const std::exception& e) {
    const QString message = QString::fromStdString(e.what());
    return message.isEmpty() ? JobManager::tr("unknown error") : message;
  } catch (...) {
    return JobManager::tr("unknown error");
  }
}
}  // namespace

void JobManager::deliver(int id, const QString& error, bool was_cancelled, const Delivery& delivery,
                         const JobHandlers& handlers) {
  finish(id);
  QString failure = error;
  if (was_cancelled) {
    failure = message_of([&] {
      emit cancelled(id);
      if (handlers.cancelled) handlers.cancelled();
    });
  } else if (error.isEmpty()) {
    failure = message_of([&] {
      emit succeeded(id);
      if (delivery) delivery();
      if (handlers.succeeded) handlers.succeeded();
    });
  }
  if (failure.isEmpty()) return;
  const QString again = message_of([&] {
    emit failed(id, failure);
    if (handlers.failed) handlers.failed(failure);
  });
  if (!again.isEmpty()) message_of([&] { emit failed(id, again); });  // the jobs panel, at least, says why
}

}  // namespace llmdrop::widgets
