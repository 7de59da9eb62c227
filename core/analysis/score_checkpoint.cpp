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
  const at::Tensor blocks =  // (samples, seq_len) calibration ids
      calibration_blocks(tokenizer, read_text_documents(request.data), request.samples, request.seq_len);
  const auto model = Model::load_in_job(checkpoint, request.device, request.dtype, request.drops, job);
  return score_layers(*model, blocks, request.options, job);
}

}  // namespace llmdrop
