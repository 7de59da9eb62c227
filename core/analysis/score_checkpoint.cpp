#include "analysis/score_checkpoint.h"

#include <ATen/ATen.h>

#include "analysis/calibration.h"
#include "analysis/importance.h"
#include "checkpoint/tokenizer.h"
#include "model/model.h"

namespace llmdrop {

ImportanceScores score_checkpoint(const Checkpoint& checkpoint, const ScoreCheckpointRequest& request,
                                  JobContext& job) {
  const Tokenizer tokenizer = Tokenizer::open(checkpoint.dir, checkpoint.config);
  const at::Tensor blocks =
      calibration_blocks(tokenizer, read_text_documents(request.data), request.samples, request.seq_len);
  LoadOptions options;
  options.device = request.device;
  options.dtype = request.dtype;
  options.drops = request.drops;
  JobContext loading(job, [&job](const Progress& p) { job.report(0, 1, "loading: " + p.message); });
  const auto model = Model::load(checkpoint, options, loading);
  return score_layers(*model, blocks, request.options, job);
}

}  // namespace llmdrop
