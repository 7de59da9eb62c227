#include "analysis/score_checkpoint.h"

#include <ATen/ATen.h>

#include "analysis/calibration.h"
#include "analysis/importance.h"
#include "analysis/selection.h"
#include "checkpoint/tokenizer.h"
#include "model/model.h"

namespace llmdrop {

namespace {
struct Loaded {
  at::Tensor blocks;  // (samples, seq_len) calibration ids
  std::unique_ptr<Model> model;
};

Loaded load_for_scoring(const Checkpoint& checkpoint, const ScoreCheckpointRequest& request,
                        JobContext& job) {
  const Tokenizer tokenizer = Tokenizer::open(checkpoint.dir, checkpoint.config);
  Loaded loaded;
  loaded.blocks =
      calibration_blocks(tokenizer, read_text_documents(request.data), request.samples, request.seq_len);
  loaded.model = Model::load_in_job(checkpoint, request.device, request.dtype, request.drops, job);
  return loaded;
}
}  // namespace

ImportanceScores score_checkpoint(const Checkpoint& checkpoint, const ScoreCheckpointRequest& request,
                                  JobContext& job) {
  const Loaded loaded = load_for_scoring(checkpoint, request, job);
  return score_layers(*loaded.model, loaded.blocks, request.options, job);
}

DropPlan select_iterative_checkpoint(const Checkpoint& checkpoint, const ScoreCheckpointRequest& request,
                                     const DropTarget& target, int64_t n, const SelectionOptions& selection,
                                     JobContext& job) {
  Loaded loaded = load_for_scoring(checkpoint, request, job);
  return select_iterative(*loaded.model, loaded.blocks, target, n, request.options, selection, job);
}

}  // namespace llmdrop
