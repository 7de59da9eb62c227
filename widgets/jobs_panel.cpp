#include "jobs_panel.h"

#include <QHeaderView>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QTime>
#include <QVBoxLayout>

#include "job_manager.h"
#include "sizing.h"

namespace llmdrop::widgets {

namespace {
enum Column { Title, Progress, Status, Cancel, Columns };
constexpr int kBarSteps = 1000;
constexpr int kRowsShown = 4;  // the table is never shorter: a few jobs at a glance
}  // namespace

JobsPanel::JobsPanel(JobManager* jobs, QWidget* parent)
    : QWidget(parent),
      jobs_(jobs),
      table_(new QTableWidget(0, Columns, this)),
      log_(new QPlainTextEdit(this)) {
  table_->setHorizontalHeaderLabels({tr("Job"), tr("Progress"), tr("Status"), QString()});
  // Title and status share what the fixed columns leave: the table never scrolls sideways.
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  table_->horizontalHeader()->setSectionResizeMode(Title, QHeaderView::Stretch);
  table_->horizontalHeader()->setSectionResizeMode(Status, QHeaderView::Stretch);
  table_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  table_->horizontalHeader()->resizeSection(Progress, 70);
  table_->horizontalHeader()->resizeSection(Cancel, QPushButton(tr("Cancel")).sizeHint().width());
  table_->verticalHeader()->hide();
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  // Long titles and statuses (paths, errors) end in "…" on one line; the tooltip has them whole.
  table_->setWordWrap(false);
  table_->setTextElideMode(Qt::ElideMiddle);
  table_->setMinimumHeight(height_for_rows(table_, kRowsShown));
  log_->setReadOnly(true);
  log_->setMaximumBlockCount(2000);
  log_->setMinimumHeight(3 * log_->fontMetrics().lineSpacing() + 2 * log_->frameWidth() + 8);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(table_, 2);
  layout->addWidget(log_, 1);
  connect(jobs_, &JobManager::started, this, &JobsPanel::on_started);
  connect(jobs_, &JobManager::progressed, this, &JobsPanel::on_progress);
  connect(jobs_, &JobManager::succeeded, this, [this](int id) {
    const double s = rows_.contains(id) ? rows_[id].clock.elapsed() / 1000.0 : 0;
    on_finished(id, tr("done in %1 s").arg(s, 0, 'f', 1), tr("finished"), true);
  });
  connect(jobs_, &JobManager::failed, this, [this](int id, const QString& message) {
    on_finished(id, tr("failed: %1").arg(message), tr("failed: %1").arg(message), false);
  });
  connect(jobs_, &JobManager::cancelled, this,
          [this](int id) { on_finished(id, tr("cancelled"), tr("cancelled"), false); });
}

double JobsPanel::seconds_left(qint64 done, qint64 total, double elapsed) {
  if (done <= 0 || total <= 0 || done > total) return -1;
  return elapsed * double(total - done) / double(done);
}

void JobsPanel::on_started(int id, const QString& title) {
  Row r;
  r.row = table_->rowCount();
  r.clock.start();
  table_->insertRow(r.row);
  auto* title_item = new QTableWidgetItem(title);
  title_item->setToolTip(title);
  table_->setItem(r.row, Title, title_item);
  r.bar = new QProgressBar(table_);
  r.bar->setRange(0, 0);  // busy until the first report
  table_->setCellWidget(r.row, Progress, r.bar);
  table_->setItem(r.row, Status, new QTableWidgetItem(tr("starting")));
  r.cancel = new QPushButton(tr("Cancel"), table_);
  connect(r.cancel, &QPushButton::clicked, this, [this, id] {
    jobs_->cancel(id);
    set_status(id, tr("cancelling…"));
  });
  table_->setCellWidget(r.row, Cancel, r.cancel);
  rows_.insert(id, r);
  log(tr("started: %1").arg(title));
}

void JobsPanel::on_progress(int id, qint64 done, qint64 total, const QString& message) {
  if (!rows_.contains(id)) return;
  Row& r = rows_[id];
  if (total > 0) {
    r.bar->setRange(0, kBarSteps);
    r.bar->setValue(static_cast<int>(kBarSteps * std::min(done, total) / total));
  }
  QStringList parts{message};
  if (total > 0) parts << QStringLiteral("%1%").arg(100 * std::min(done, total) / total);
  if (const double left = seconds_left(done, total, r.clock.elapsed() / 1000.0); left >= 0)
    parts << tr("about %1 s left").arg(left, 0, 'f', 0);
  set_status(id, parts.join(QStringLiteral(" · ")));
}

void JobsPanel::on_finished(int id, const QString& status, const QString& log_line, bool completed) {
  if (!rows_.contains(id)) return;
  Row& r = rows_[id];
  if (r.bar->maximum() == 0) r.bar->setRange(0, kBarSteps);
  if (completed) r.bar->setValue(kBarSteps);
  r.cancel->setEnabled(false);
  set_status(id, status);
  log(QStringLiteral("%1: %2").arg(table_->item(r.row, Title)->text(), log_line));
}

void JobsPanel::set_status(int id, const QString& text) {
  if (!rows_.contains(id)) return;
  QTableWidgetItem* item = table_->item(rows_[id].row, Status);
  item->setText(text);
  item->setToolTip(text);
}

void JobsPanel::log(const QString& line) {
  log_->appendPlainText(
      QStringLiteral("[%1] %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), line));
}

int JobsPanel::rows() const {
  return table_->rowCount();
}

int JobsPanel::visible_rows() const {
  return table_->viewport()->height() / table_->verticalHeader()->defaultSectionSize();
}

QString JobsPanel::status_text(int id) const {
  return rows_.contains(id) ? table_->item(rows_[id].row, Status)->text() : QString();
}

QPushButton* JobsPanel::cancel_button(int id) const {
  return rows_.contains(id) ? rows_[id].cancel : nullptr;
}

QString JobsPanel::log_text() const {
  return log_->toPlainText();
}

}  // namespace llmdrop::widgets
