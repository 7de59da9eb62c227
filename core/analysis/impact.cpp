#include "analysis/impact.h"

#include "util/error.h"

namespace llmdrop {

namespace {
int64_t element_bytes(const std::string& dtype) {
  if (dtype == "float32") return 4;
  if (dtype == "bfloat16" || dtype == "float16") return 2;
  throw_bad_input("unknown runtime dtype '" + dtype + "'");
}
}  // namespace

PlanImpact estimate_impact(const ModelSummary& s, int64_t context) {
  PlanImpact impact;
  impact.context = context;
  impact.parameters_removed = s.parameters - s.active_parameters;
  impact.parameters_removed_fraction =
      s.parameters ? double(impact.parameters_removed) / double(s.parameters) : 0;
  impact.kv_bytes_saved_per_token = s.kv_bytes_per_token_full - s.kv_bytes_per_token;
  impact.kv_saved_fraction = s.kv_bytes_per_token_full
                                 ? double(impact.kv_bytes_saved_per_token) / double(s.kv_bytes_per_token_full)
                                 : 0;
  const int64_t gathered = s.tied_embeddings ? 0 : s.vocab_size * s.hidden_size;
  const double bytes = double(element_bytes(s.runtime_dtype));
  impact.step_bytes_full =
      double(s.parameters - gathered) * bytes + double(s.kv_bytes_per_token_full * context);
  impact.step_bytes = double(s.active_parameters - gathered) * bytes + double(s.kv_bytes_per_token * context);
  impact.estimated_decode_speedup = impact.step_bytes > 0 ? impact.step_bytes_full / impact.step_bytes : 1;
  return impact;
}

}  // namespace llmdrop
