#pragma once
// The one place the GUI runs long operations (load, score, eval, bench, quantize): off the UI thread, with
// progress, cancellation and errors delivered back to the UI thread as signals.
#include <QFuture>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <functional>
#include <memory>

#include "jobs/job.h"

namespace llmdrop::widgets {

// What to do when a job ends, on the UI thread, after the manager's signals (any may be empty). A handler
// that throws fails the job with its message (an exception leaving a queued call aborts the process): failed
// is emitted (after succeeded or cancelled) and the failed handler runs; what that throws is emitted as
// failed too.
struct JobHandlers {
  std::function<void()> succeeded;
  std::function<void(const QString& message)> failed;
  std::function<void()> cancelled;
};

// A job's value and its end, on the UI thread (any may be empty).
template <class Result>
struct ResultHandlers {
  std::function<void(const Result&)> done;
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
  // A job that computes a value: `on.done` receives it on the UI thread. No handler runs once `guard` is
  // destroyed, so a closed window is never called back (Qt Creator's onResultReady(future, guard, f)).
  template <class Result>
  int start(const QString& title, QObject* guard, std::function<Result(JobContext&)> work,
            ResultHandlers<Result> on) {
    auto guarded = [alive = QPointer<QObject>(guard)](auto handler) {
      return [alive, handler](const auto&... args) {
        if (alive && handler) handler(args...);
      };
    };
    return launch(title,
                  [work = std::move(work), done = guarded(std::move(on.done))](JobContext& job) -> Delivery {
                    return [done, result = work(job)] { done(result); };
                  },
                  {{}, guarded(std::move(on.failed)), guarded(std::move(on.cancelled))});
  }
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
  // What a job that succeeded hands over on the UI thread: its value, bound to its handler.
  using Delivery = std::function<void()>;
  int launch(const QString& title, std::function<Delivery(JobContext&)> work, JobHandlers handlers);
  struct Job {
    QString title;
    std::shared_ptr<JobContext> context;
    QFuture<void> future;
  };
  void finish(int id);
  // On the UI thread: the signals and handlers of a job that ended with `error` (empty: it succeeded).
  void deliver(int id, const QString& error, bool was_cancelled, const Delivery& delivery,
               const JobHandlers& handlers);
  // Jobs run on a pool of their own: Qt's global pool also serves painting (the raster engine waits on it),
  // so long jobs there would freeze the window.
  QThreadPool pool_;
  QHash<int, Job> jobs_;
  int next_id_ = 1;
};

}  // namespace llmdrop::widgets
