#include "analysis/quick_score.h"

#include <ATen/ATen.h>

#include <algorithm>

#include "analysis/calibration.h"
#include "analysis/importance.h"
#include "checkpoint/checkpoint.h"
#include "checkpoint/tokenizer.h"
#include "model/model.h"

namespace llmdrop {
namespace fs = std::filesystem;

ImportanceScores score_checkpoint(const QuickScoreRequest& request, JobContext& job) {
  const Checkpoint checkpoint = Checkpoint::open(request.model_dir);
  const Tokenizer tokenizer = Tokenizer::open(checkpoint.dir, checkpoint.config);
  const int64_t seq_len = std::min(request.seq_len, checkpoint.config.max_position_embeddings);
  const at::Tensor blocks =
      calibration_blocks(tokenizer, read_text_documents(request.data), request.samples, seq_len);
  LoadOptions options;
  options.device = request.device;
  options.dtype = request.dtype;
  JobContext loading(job, [&job](const Progress& p) { job.report(0, 1, "loading: " + p.message); });
  const auto model = Model::load(checkpoint, options, loading);
  ScoreOptions score_options;
  score_options.batch_size = request.batch_size;
  return score_layers(*model, blocks, score_options, job);
}

}  // namespace llmdrop
