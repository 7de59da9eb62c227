#include "session/jobs.h"

#include <ATen/ATen.h>

#include "analysis/calibration.h"
#include "analysis/importance.h"
#include "checkpoint/tokenizer.h"
#include "model/generation.h"
#include "model/model.h"
#include "util/error.h"
#include "util/input.h"

namespace llmdrop {

namespace {
at::Tensor calibration(Session& session, const ScoreJob& request) {  // (samples, seq_len) token ids
  if (request.data.empty()) {
    if (request.samples < 1 || request.seq_len < 2)
      throw_bad_input("random blocks need samples >= 1, seq_len >= 2");
    at::manual_seed(0);
    return at::randint(session.config().vocab_size, {request.samples, request.seq_len}, at::kLong);
  }
  return calibration_blocks(session.tokenizer(), read_text_documents(request.data), request.samples,
                            request.seq_len);
}
}  // namespace

ImportanceScores score(Session& session, const ScoreJob& request, JobContext& job) {
  const at::Tensor blocks = calibration(session, request);
  return session.run(request.drops, job, [&](Model& model) {
    ImportanceScores scores = score_layers(model, blocks, request.options, job);
    for (const std::string& task : request.tasks) {
      EvalOptions eval;
      eval.tasks = {task};
      eval.data = request.task_data;
      eval.limit = request.task_limit;
      ScoringOptions scoring;
      scoring.batch_size = request.task_batch_size;
      scoring.data_parallel = request.options.data_parallel;
      scores.tasks.push_back(task_importance(model, task, request.task_limit,
                                             gold_requests(model, session.tokenizer(), eval), scoring, job));
    }
    return scores;
  });
}

DropPlan select_iterative(Session& session, const ScoreJob& request, const DropTarget& target, int64_t n,
                          const SelectionOptions& selection, JobContext& job) {
  const at::Tensor blocks = calibration(session, request);
  return session.run(request.drops, job, [&](Model& model) {
    return select_iterative(model, blocks, target, n, request.options, selection, job);
  });
}

PerplexityResult text_perplexity(Session& session, const DropPlan& plan,
                                 const std::filesystem::path& text_file, int64_t max_tokens, int64_t seq_len,
                                 JobContext& job) {
  const Tokenizer& tokenizer = session.tokenizer();
  std::vector<int64_t> tokens = tokenizer.encode(read_file(text_file));
  if (static_cast<int64_t>(tokens.size()) > max_tokens)
    tokens.erase(tokens.begin(), tokens.end() - max_tokens);
  const int64_t window = std::min(seq_len, session.config().max_position_embeddings);
  return session.run(
      plan, job, [&](Model& model) { return perplexity(model, tokens, tokenizer.bos_id(), window, 0, job); });
}

std::vector<std::vector<SpeedResult>> measure_speed(Session& session, const std::vector<DropPlan>& plans,
                                                    const SpeedOptions& options, JobContext& job) {
  return session.run(job, [&](Model& model) { return measure_configurations(model, plans, options, job); });
}

SpeedupMeasurement measure_speedup(Session& session, const DropPlan& baseline, const DropPlan& plan,
                                   const SpeedupOptions& options, JobContext& job) {
  return session.run(
      job, [&](Model& model) { return llmdrop::measure_speedup(model, baseline, plan, options, job); });
}

std::string generate_text(Session& session, const DropPlan& plan, const std::string& prompt,
                          int64_t max_new_tokens, JobContext& job) {
  const Tokenizer& tokenizer = session.tokenizer();
  std::vector<int64_t> ids;
  if (tokenizer.bos_id()) ids.push_back(*tokenizer.bos_id());
  for (int64_t id : tokenizer.encode(prompt)) ids.push_back(id);
  SamplingOptions options;
  options.max_new_tokens = max_new_tokens;
  options.stop_token = tokenizer.eos_id();
  const auto new_ids =
      session.run(plan, job, [&](Model& model) { return generate(model, ids, options, job); });
  return tokenizer.decode_continuation(ids, new_ids);
}

EvalResults evaluate(Session& session, const DropPlan& plan, const EvalOptions& options, JobContext& job) {
  const Tokenizer& tokenizer = session.tokenizer();
  return session.run(plan, job, [&](Model& model) { return evaluate(model, tokenizer, options, job); });
}

LensView logit_lens(Session& session, const DropPlan& plan, const std::string& prompt, int64_t k,
                    JobContext& job) {
  const Tokenizer& tokenizer = session.tokenizer();
  std::vector<int64_t> ids;
  if (tokenizer.bos_id()) ids.push_back(*tokenizer.bos_id());
  for (int64_t id : tokenizer.encode(prompt)) ids.push_back(id);
  LensView view;
  view.rows = session.run(plan, job, [&](Model& model) { return logit_lens(model, ids, k); });
  // As text after what comes before (a word's leading space kept); the first position as its piece.
  view.prompt.push_back(tokenizer.piece(ids.front()));
  for (size_t t = 1; t < ids.size(); ++t)
    view.prompt.push_back(tokenizer.decode_continuation({ids.begin(), ids.begin() + t}, {ids[t]}));
  for (const LensRow& row : view.rows)
    for (const LensPrediction& p : row.predictions)
      for (int64_t id : p.ids)
        if (!view.token_text.count(id)) {
          const std::string text = tokenizer.decode_continuation({ids.front()}, {id});
          view.token_text[id] = text.empty() ? tokenizer.piece(id) : text;  // e.g. a byte piece alone
        }
  return view;
}

}  // namespace llmdrop
