#pragma once
// The decoder-only transformer (Llama, Mistral, Qwen2/3, Gemma 2, Phi-3) on libtorch, with LLM-Drop's module
// drops.
#include <ATen/core/Tensor.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checkpoint/checkpoint.h"
#include "checkpoint/drop_plan.h"
#include "jobs/job.h"
#include "model/kv_cache.h"
#include "model/linear_weight.h"
#include "model/observer.h"
#include "model/rope.h"

namespace llmdrop {

class Communicator;
class ModelFamily;
struct TensorPart;
struct MemoryPlan;

// Runtime weight layout, decoupled from the checkpoint's: q|k|v and gate|up are fused at load. A quantized
// checkpoint's linears stay packed (LinearWeight). A branch owns its norms: a dropped branch keeps none.
// Norm weights are in the model's dtype, or float32 (1 + w) for Gemma's norms (see Architecture).
struct AttentionWeights {
  at::Tensor pre_norm;        // (hidden)
  LinearWeight qkv;           // (H*D + 2*KV*D, hidden)
  at::Tensor qkv_bias;        // (H*D + 2*KV*D) or undefined
  at::Tensor q_norm, k_norm;  // (D) per-head norms (Qwen3) or undefined
  LinearWeight o;             // (hidden, H*D)
  at::Tensor o_bias;          // (hidden) or undefined
  at::Tensor post_norm;       // (hidden) on the branch output (Gemma 2) or undefined
};

struct MlpWeights {
  at::Tensor pre_norm;   // (hidden)
  LinearWeight gate_up;  // (2*I, hidden)
  LinearWeight down;     // (hidden, I)
  at::Tensor post_norm;  // (hidden) or undefined
};

struct DecoderLayer {
  int64_t index = 0;
  int64_t sliding_window = 0;            // 0 = full causal attention
  std::optional<AttentionWeights> attn;  // empty when dropped: no weights, no KV cache
  std::optional<MlpWeights> mlp;         // empty when dropped
};

struct LoadOptions {
  // One device, or several as a list ("cuda:0,cuda:1", device_list.h): one model (accelerate's
  // device_map="auto"), the layers in contiguous ranges over the devices, balanced by bytes, the embeddings
  // on the first and the head on the last; the hidden states move at a range's end, so one device works at a
  // time. Several devices do not combine with streaming or tensor parallelism.
  std::string device = "cpu";
  std::string dtype = "auto";
  std::optional<DropPlan> drops;  // overrides config.json's drop lists
  // The decoder layers' weights stay in the (mapped) checkpoint and come to the device one layer at a time,
  // while the layer before runs, and leave when it is done: a model larger than the device's memory can still
  // be run (see forward_batches). Embeddings, the final norm and the head stay resident.
  bool stream_layers = false;
  bool stream_if_needed = false;  // stream only when the resident model would not fit (the workbench)
  // Tensor parallel: this rank holds its share of every layer (its query and key/value heads, its columns of
  // gate|up and rows of down) on its device, and the ranks sum the o and down projections' partial outputs.
  std::shared_ptr<const Communicator> tensor_parallel;
  // Weights as ordinary tensors rather than inference tensors, so that autograd can record a forward through
  // them (healing: train_layer, train_head); ATen operations only. A 16- or 32-bit checkpoint on one device.
  bool trainable = false;
};

class Model {
 public:
  // Loads every non-dropped module onto the device; progress per layer, cancellable between layers. (`seed`
  // matters only for random weights, see random().)
  static std::unique_ptr<Model> load(const Checkpoint& checkpoint, const LoadOptions& options,
                                     JobContext& job = JobContext::silent(), uint64_t seed = 0);
  // load() as the first step of a longer job (the torch-free entry points: score, evaluate, perplexity,
  // generate, bench): its per-layer progress reads "loading: layer N" at 0 of 1.
  static std::unique_ptr<Model> load_in_job(const Checkpoint& checkpoint, const std::string& device,
                                            const std::string& dtype, const DropPlan& drops, JobContext& job);
  static std::unique_ptr<Model> load_in_job(const Checkpoint& checkpoint, const LoadOptions& options,
                                            JobContext& job);

  const ModelConfig& config() const { return config_; }
  const Checkpoint& checkpoint() const { return checkpoint_; }
  // Where the input ids go (the embeddings and the first layers).
  c10::Device device() const { return device_; }
  // Where logits and final hidden states come out: device() unless the layers are placed over several.
  c10::Device output_device() const { return head_device_; }
  c10::Device layer_device(int64_t i) const { return layer_devices_.at(static_cast<size_t>(i)); }
  // Every device the model uses, the input's first (one unless placed over several).
  std::vector<c10::Device> devices() const;
  bool placed() const { return devices().size() > 1; }  // layers over several devices
  void synchronize() const;  // waits for the work queued on every device the model uses
  c10::ScalarType dtype() const { return dtype_; }
  const DropPlan& drops() const { return drops_; }
  // What every plan on this model drops: the modules its checkpoint has no weights for (an export's drops).
  const DropPlan& modules_without_weights() const { return without_weights_; }
  // Resident layers: a streamed model's hold no weights (each is loaded while it runs).
  const std::vector<DecoderLayer>& layers() const { return layers_; }
  bool streamed() const { return streamed_; }
  // A streamed model's layer loads so far: their time on the helper thread, and how much of it the layers'
  // computation waited for (the rest was hidden behind it); and the hidden states of its last pass over the
  // layers that waited in host memory between layers (0 when they stayed on the device).
  struct StreamTimes {
    double loading = 0, waited = 0;  // seconds
    int64_t hidden_on_host = 0;      // bytes
  };
  StreamTimes stream_times() const;
  // This rank's attention heads and key/value heads: the config's, divided by the tensor-parallel ranks.
  struct Shard {
    int64_t heads, kv_heads;
  };
  const Shard& shard() const { return shard_; }
  int64_t tensor_parallel_ranks() const;  // 1 without tensor parallelism
  const Communicator* tensor_parallel() const { return tensor_parallel_.get(); }  // null without

  // A model of `config`'s shape with random weights made on the device (normal, std 0.02; norms 1), for speed
  // and memory studies without a checkpoint. Each tensor's values depend only on `seed` and its name, so
  // modules re-enabled by set_drops come back the same.
  static std::unique_ptr<Model> random(const ModelConfig& config, const LoadOptions& options,
                                       uint64_t seed = 0, JobContext& job = JobContext::silent());
  bool has_random_weights() const { return !checkpoint_.tensors; }
  // Distinct for every model made in this process (an address may be reused).
  uint64_t serial() const { return serial_; }

  // Frees the weights of newly dropped modules and loads re-enabled ones from the (mapped) checkpoint (a
  // streamed model only records the plan).
  void set_drops(const DropPlan& plan, JobContext& job = JobContext::silent());

  // A cache with a slot for every layer whose attention currently runs.
  KVCache new_cache(int64_t batch, int64_t capacity) const;

  // input_ids: (B, T) token ids. With a cache, the tokens continue the cached positions and are appended.
  // Returns logits (B, T, V) — or (B, 1, V) with last_only — in the model's dtype.
  at::Tensor forward(const at::Tensor& input_ids, KVCache* cache = nullptr,
                     HiddenStateObserver* observer = nullptr, bool last_only = false) const;

  // Packed sequences, for scoring many continuations of one context in a single pass: token (b, i) has
  // RoPE position positions[b][i] and attends to token j of its row where visible[b][i][j]. Returns the final
  // (normalised) hidden states (N, hidden) of the flat rows `select` (N) of the (B·T) tokens.
  at::Tensor forward_packed(const at::Tensor& input_ids, const at::Tensor& positions,
                            const at::Tensor& visible, const at::Tensor& select) const;
  struct PackedBatch {
    at::Tensor ids, positions, visible, select;  // as forward_packed takes them
  };
  // forward_packed on each batch; `on_hidden(b, hidden)` receives batch b's (N, hidden). Layer by layer when
  // the model streams, as forward_batches.
  void forward_packed_batches(const std::vector<PackedBatch>& batches,
                              const std::function<void(size_t, const at::Tensor&)>& on_hidden,
                              JobContext& job = JobContext::silent()) const;
  // (…, hidden) final hidden states → (…, V) logits in the model's dtype (soft-capped where the family does).
  at::Tensor logits(const at::Tensor& hidden) const;
  // (…, 2I) gate | up → (…, I) act(gate) · up with the family's activation.
  at::Tensor gated_activation(const at::Tensor& gate_up) const;
  // A norm weight as the checkpoint stores it, from its runtime form (Gemma's 1 + w back to w).
  at::Tensor stored_norm(const at::Tensor& runtime) const;
  // The rest of forward() from layer `first` on: h (B, T, hidden) is the residual stream entering that layer
  // for fresh causal sequences; logits (B, T, V). forward_from(0, embed(ids)) is forward(ids).
  at::Tensor forward_from(int64_t first, const at::Tensor& h, HiddenStateObserver* observer = nullptr) const;

  // Every batch of `ids` ((B, T) each) through the model as fresh causal sequences; `on_logits(b, logits)`
  // receives batch b's (B, T, V) logits. Streamed, layer by layer: each layer is loaded once and every batch
  // passes it before the next (LLM-Drop's order; the hidden states of all batches stay on the device), and
  // the observer sees layer i of every batch before layer i + 1; else batch by batch, on_logits(b) before
  // batch b + 1 starts. Progress per layer (streamed) or per batch; cancellable between them.
  void forward_batches(const std::vector<at::Tensor>& ids, HiddenStateObserver* observer,
                       const std::function<void(size_t, const at::Tensor&)>& on_logits,
                       JobContext& job = JobContext::silent()) const;

  // One decode step with shapes that never change, so a CUDA graph can capture it: token (B, 1) on the
  // device, position a (1) long device tensor (the cache slot and RoPE position); attends over the whole
  // cache capacity with later slots masked. Returns logits (B, 1, V). The caller advances the cache (see
  // DecodeGraph).
  at::Tensor decode_step(const at::Tensor& token, const at::Tensor& position, KVCache& cache) const;

  // Layer i alone on h (B, T, hidden) as fresh causal sequences; the observer sees its trace. For
  // quantization, which walks the layers with the calibration activations, and for measures that leave one
  // module out (without_attention: as if the attention were dropped, its weights kept).
  at::Tensor layer_forward(int64_t i, const at::Tensor& h, HiddenStateObserver* observer = nullptr,
                           bool without_attention = false) const;
  // Healing: layer i on h (B, T, hidden), fresh causal sequences, and the head (final norm, lm_head: logits
  // (B, T, V)), outside inference mode, so that autograd records them when grad mode is on (a trainable
  // model, LoRA adapters on its linears: LinearWeight::lora).
  at::Tensor train_layer(int64_t i, const at::Tensor& h) const;
  at::Tensor train_head(const at::Tensor& h) const;
  bool trainable() const { return trainable_; }
  // (B, T) token ids → (B, T, hidden) embeddings; BadInput for an id outside the vocabulary.
  at::Tensor embed(const at::Tensor& input_ids) const;
  // Layer i's weights, for code that rewrites them in place (quantization).
  DecoderLayer& mutable_layer(int64_t i) { return layers_.at(static_cast<size_t>(i)); }

  int64_t kv_bytes_per_token() const;   // for the current drops and dtype
  int64_t resident_parameters() const;  // parameters held on the device now
  // What one decode step reads of the weights: all of them as held (4-bit ones as codes and scales), but
  // one row of the embedding table (the head once when tied). The decode roofline's numerator.
  int64_t decode_weight_bytes() const;

 private:
  Model(Checkpoint checkpoint, c10::Device device, c10::ScalarType dtype, uint64_t seed = 0);
  // Holds only this rank's share of each layer from now on (before any layer is loaded); BadInput when the
  // heads or the MLP width do not divide by the ranks, or the checkpoint is quantized.
  void split_over(std::shared_ptr<const Communicator> group);
  // Places the layers over `devices` (LoadOptions::device), before any is loaded; BadInput when a device
  // cannot hold its share.
  void place(const MemoryPlan& memory, const std::vector<c10::Device>& devices);
  // BadInput for a layer index out of range or a kept module without weights.
  void check_plan(const DropPlan& plan) const;
  // A checkpoint tensor (a view of the mapped file), or a random one made on `device`.
  at::Tensor fetch(const std::string& name, std::vector<int64_t> shape, c10::Device device) const;
  void check_token_ids(const at::Tensor& ids) const;
  // Weights named `parts` (checkpoint name, rows) stacked into one (Σ rows, in_features) linear. Packed when
  // the checkpoint packs them all with one g_idx (q|k|v and gate|up do, sharing their input): on the CPU, and
  // on a GPU in 16 bits where the 4-bit layout holds them. Else dense.
  // Under tensor parallelism the rank's share (shard_sections along `shard_dim` of `sections`).
  LinearWeight load_linear(const std::vector<std::pair<std::string, int64_t>>& parts, int64_t in_features,
                           int64_t shard_dim, const std::vector<int64_t>& sections, c10::Device device) const;
  AttentionWeights load_attention(int64_t layer) const;
  MlpWeights load_mlp(int64_t layer) const;
  // Layer i with the current plan's modules loaded (what a streamed model runs).
  DecoderLayer load_layer(int64_t i) const;
  // This rank's part of a tensor made of `sections` along `dim` (q|k|v, gate|up; one section for o and down):
  // the rank's slice of each section, concatenated. The tensor itself without tensor parallelism.
  at::Tensor shard_sections(const at::Tensor& full, int64_t dim, const std::vector<int64_t>& sections) const;
  // x @ weightᵀ (+ bias) for a weight whose input features are split over the tensor-parallel ranks (o,
  // down): the ranks' partial products summed, then the bias.
  at::Tensor row_parallel_linear(const at::Tensor& x, const LinearWeight& weight,
                                 const at::Tensor& bias) const;
  // `parts` stacked along dim 0 (q|k|v, gate|up; most weights are one part), owned by `device` in `dtype` (a
  // copy: a checkpoint tensor is a view of the mapped file). A streamed model's go to a GPU through pinned
  // memory, asynchronously on the current stream, so that they overlap the computation at the bus's speed
  // instead of a pageable copy's.
  at::Tensor to_device(const std::vector<at::Tensor>& parts, at::ScalarType dtype, c10::Device device) const;
  // A norm weight in its runtime form on `device`; undefined for an empty name.
  at::Tensor load_norm(const std::string& name, int64_t size, c10::Device device) const;
  // (B, T) ids on the device → (B, T, hidden), scaled where the family does.
  at::Tensor embedding_lookup(const at::Tensor& ids) const;
  // What attention needs besides the hidden states: the cache and where the tokens start in it, RoPE tables,
  // and the mask for each sliding-window size in use (0 = none; undefined mask = every key visible).
  struct AttentionInputs {
    KVCache* cache = nullptr;
    int64_t start = 0;
    at::Tensor write_position;            // defined: decode_step's fixed-shape cache write
    RopeTables rope;                      // broadcast over (B, T, heads, D)
    bool causal = false;                  // a fresh sequence: an undefined mask means causal (is_causal)
    std::map<int64_t, at::Tensor> masks;  // per sliding window (0 = none)
    c10::Device device() const { return rope.cos.device(); }
    AttentionInputs to(c10::Device device) const;  // the same on another device (placement)
  };
  // Attention inputs of packed sequences (see forward_packed).
  AttentionInputs packed_inputs(const at::Tensor& positions, const at::Tensor& visible) const;
  // Streamed: every batch's h (B, T, hidden) through each layer in turn, each layer loaded once; then
  // on_final(b, final-normed h). When the hidden states would take more than half of what the device has
  // free, they wait between layers in host memory (pinned, for a GPU), each batch coming over for its turn.
  // Progress per layer.
  struct Pass {
    at::Tensor ids;  // (B, T) on the device, checked; embedded by run_layer_major into h (B, T, hidden)
    AttentionInputs inputs;
    at::Tensor h;
  };
  void run_layer_major(std::vector<Pass>& passes, HiddenStateObserver* observer,
                       const std::function<void(size_t, const at::Tensor&)>& on_final, JobContext& job) const;
  // Layers first… on h, then the final norm; h and the inputs move to each layer's device.
  at::Tensor run_layers(at::Tensor h, const AttentionInputs& inputs, HiddenStateObserver* observer,
                        int64_t first = 0) const;
  at::Tensor decoder_layer(const DecoderLayer& layer, const at::Tensor& h, const AttentionInputs& inputs,
                           HiddenStateObserver* observer) const;
  // Attention before its o projection: (B, T, H·D).
  at::Tensor attention_heads(const DecoderLayer& layer, const at::Tensor& x,
                             const AttentionInputs& inputs) const;
  // Tokens at positions start … start + length − 1 of their sequences, attending causally.
  AttentionInputs sequence_inputs(int64_t start, int64_t length) const;
  // decode_step in 16 bits at batch 1 on a GPU, on fused kernels (CUDA builds only: fused_decode.cpp).
  bool fused_decode_supported(const at::Tensor& token) const;
  at::Tensor fused_decode_step(const at::Tensor& token, const at::Tensor& position, KVCache& cache) const;

  Checkpoint checkpoint_;
  ModelConfig config_;
  const ModelFamily* family_;
  c10::Device device_;                      // the embeddings' (see device())
  c10::Device head_device_;                 // the final norm's and the head's (see output_device())
  std::vector<c10::Device> layer_devices_;  // per layer
  c10::ScalarType dtype_;
  DropPlan drops_;
  uint64_t seed_ = 0;  // random weights (no checkpoint tensors)
  bool streamed_ = false;
  bool trainable_ = false;
  std::shared_ptr<const Communicator> tensor_parallel_;
  Shard shard_;
  uint64_t serial_;
  mutable std::atomic<double> stream_loading_{0}, stream_waited_{0};  // StreamTimes, seconds
  mutable std::atomic<int64_t> stream_hidden_on_host_{0};             // StreamTimes, bytes
  DropPlan without_weights_;
  at::Tensor embedding_;   // (V, hidden)
  at::Tensor final_norm_;  // (hidden)
  at::Tensor lm_head_;     // (V, hidden); the embedding itself when tied
  RotaryEmbedding rotary_;
  std::vector<DecoderLayer> layers_;
};

// Each kept linear of the model with how the checkpoint stores it: its parts (q | k | v and gate | up rows in
// order; one part for o and down) and its input width. Layer by layer, attention's q|k|v and o, then the
// MLP's gate|up and down.
void for_each_kept_linear(Model& model,
                          const std::function<void(LinearWeight&, const std::vector<TensorPart>& parts,
                                                   int64_t in_features)>& visit);

}  // namespace llmdrop
