#pragma once
// The one place the GUI runs long operations (load, score, eval, bench, quantize): off the UI thread, with
// progress, cancellation and errors delivered back to the UI thread as signals.
#include <QFuture>
#include <QHash>
#include <QObject>
#include <QThreadPool>
#include <functional>
#include <memory>

#include "jobs/job.h"

namespace llmdrop::widgets {

// What to do when a job ends, on the UI thread, after the manager's signals (any may be empty).
struct JobHandlers {
  std::function<void()> succeeded;
  std::function<void(const QString& message)> failed;
  std::function<void()> cancelled;
};

class JobManager : public QObject {
  Q_OBJECT
 public:
  // Runs on a worker thread. Reports through the context, checks it for cancellation between steps, and
  // throws llmdrop::Error (or any std::exception) to fail with a message a user understands.
  using Work = std::function<void(JobContext&)>;

  explicit JobManager(QObject* parent = nullptr);
  ~JobManager() override;  // cancels every job and waits for it

  int start(const QString& title, Work work, JobHandlers handlers = {});  // returns the job's id
  void cancel(int id);
  bool is_running(int id) const { return jobs_.contains(id); }
  int running_count() const { return static_cast<int>(jobs_.size()); }
  QString title(int id) const;

 signals:
  void started(int id, const QString& title);
  void progressed(int id, qint64 done, qint64 total, const QString& message);
  void succeeded(int id);
  void failed(int id, const QString& message);
  void cancelled(int id);

 private:
  struct Job {
    QString title;
    std::shared_ptr<JobContext> context;
    QFuture<void> future;
  };
  void finish(int id);
  // Jobs run on a pool of their own: Qt's global pool also serves painting (the raster engine waits on it),
  // so long jobs there would freeze the window.
  QThreadPool pool_;
  QHash<int, Job> jobs_;
  int next_id_ = 1;
};

}  // namespace llmdrop::widgets
