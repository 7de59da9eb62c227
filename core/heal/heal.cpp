#include "heal/heal.h"

#include "heal/lora_training.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/GradMode.h>

#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <set>

#include "analysis/calibration.h"
#include "checkpoint/family.h"
#include "checkpoint/safetensors.h"
#include "checkpoint/tokenizer.h"
#include "export/tensor_export.h"
#include "model/device.h"
#include "model/device_memory.h"
#include "model/model.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/input.h"

namespace llmdrop {

namespace fs = std::filesystem;

namespace {

// One adapted linear: the checkpoint names of its parts (q | k | v …, rows in order) and its adapter.
struct Adapted {
  std::vector<TensorPart> parts;
  std::shared_ptr<LoraAdapter> adapter;
};

// "model.layers.3.self_attn.q_proj.weight" → "q_proj": what PEFT's target_modules match.
std::string projection_name(const std::string& weight) {
  const std::string prefix = weight.substr(0, weight.rfind('.'));
  return prefix.substr(prefix.rfind('.') + 1);
}

std::string without_suffix(const std::string& weight) {
  return weight.substr(0, weight.rfind('.'));
}

// The request's fields that decide the numbers: a resumed run must match them.
nlohmann::json fingerprint(const Checkpoint& checkpoint, const HealRequest& r) {
  return {{"model", fs::absolute(checkpoint.dir).lexically_normal().string()},
          {"drops", drop_lists_json(r.drops)},
          {"data", fs::absolute(r.data).lexically_normal().string()},
          {"steps", r.steps},
          {"batch_size", r.batch_size},
          {"seq_len", r.seq_len},
          {"rank", r.rank},
          {"alpha", r.alpha},
          {"lr", r.lr},
          {"warmup_steps", r.warmup_steps},
          {"weight_decay", r.weight_decay},
          {"max_grad_norm", r.max_grad_norm},
          {"targets", r.targets},
          {"seed", r.seed},
          {"dtype", r.dtype}};
}

nlohmann::json steps_json(const std::vector<HealStep>& steps) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : steps)
    out.push_back(
        {{"step", s.step}, {"loss", s.loss}, {"lr", s.lr}, {"tokens_per_second", s.tokens_per_second}});
  return out;
}

void check_request(const HealRequest& r) {
  if (r.steps < 1 || r.batch_size < 1 || r.seq_len < 2 || r.rank < 1)
    throw_bad_input("healing needs steps, batch size and rank >= 1 and seq-len >= 2");
  if (!(std::isfinite(r.lr) && r.lr > 0) || !(std::isfinite(r.alpha) && r.alpha > 0))
    throw_bad_input("the learning rate and alpha must be finite numbers > 0");
  if (r.warmup_steps < 0 || r.warmup_steps >= r.steps)
    throw_bad_input("warm-up steps must lie in [0, steps)");
  if (!std::isfinite(r.weight_decay) || r.weight_decay < 0 || !std::isfinite(r.max_grad_norm))
    throw_bad_input("weight decay must be >= 0 and the gradient norm bound finite");
}

// Adapters on the model's kept linears that the targets name: A uniform in ±1/√K (PEFT's Kaiming init), B
// zero, from one CPU generator so that every device starts alike.
std::vector<Adapted> add_adapters(Model& model, const HealRequest& r) {
  const ModelConfig& c = model.config();
  const ModelFamily& family = family_for(c.model_type);
  std::set<std::string> available;
  for (const auto& part : family.attention(c, 0).qkv) available.insert(projection_name(part.weight));
  available.insert(projection_name(family.attention(c, 0).o));
  for (const auto& part : family.mlp(c, 0).gate_up) available.insert(projection_name(part.weight));
  available.insert(projection_name(family.mlp(c, 0).down));
  for (const auto& t : r.targets)
    if (!available.count(t)) {
      std::string names;
      for (const auto& a : available) names += (names.empty() ? "" : ", ") + a;
      throw_bad_input("no projection named '" + t + "' in a " + c.model_type + " layer: choose among " +
                      names);
    }
  auto wanted = [&](const std::string& weight) {
    return r.targets.empty() ||
           std::find(r.targets.begin(), r.targets.end(), projection_name(weight)) != r.targets.end();
  };
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(r.seed);
  std::vector<Adapted> adapted;
  auto attach = [&](LinearWeight& linear, const std::vector<TensorPart>& parts, int64_t in_features) {
    std::vector<TensorPart> chosen;
    for (const auto& p : parts)
      if (wanted(p.weight)) chosen.push_back(p);
    if (chosen.empty()) return;
    if (chosen.size() != parts.size())
      throw_bad_input("the adapters must cover all of " + without_suffix(parts[0].weight) +
                      "'s fused projections or none: add or remove the others' names");
    auto adapter = std::make_shared<LoraAdapter>();
    adapter->scaling = r.alpha / double(r.rank);
    const double bound = 1 / std::sqrt(double(in_features));
    for (const auto& p : parts) {
      at::Tensor a = at::empty({r.rank, in_features}, at::kFloat).uniform_(-bound, bound, generator);
      adapter->parts.push_back(
          {a.to(model.device()).requires_grad_(),
           at::zeros({p.rows, r.rank}, at::TensorOptions().device(model.device())).requires_grad_()});
    }
    linear.lora = adapter;
    adapted.push_back({parts, adapter});
  };
  for_each_kept_linear(model, attach);
  if (adapted.empty()) throw_bad_input("nothing to heal: the drops and targets leave no projection to adapt");
  return adapted;
}

}  // namespace

double lora_loss_and_gradients(const Model& model, const at::Tensor& ids, JobContext& job) {
  const int64_t layers = model.config().num_layers, t = ids.size(1);
  std::vector<at::Tensor> inputs(static_cast<size_t>(layers + 1));  // (B, T, hidden) entering layer i
  {
    at::NoGradGuard no_grad;
    inputs[0] = model.embed(ids);
    for (int64_t i = 0; i < layers; ++i) {
      job.throw_if_cancelled();
      inputs[static_cast<size_t>(i + 1)] = model.train_layer(i, inputs[static_cast<size_t>(i)]);
    }
  }
  at::Tensor top = inputs.back().detach().requires_grad_();
  const at::Tensor logits = model.train_head(top).to(at::kFloat);  // (B, T, V)
  const int64_t vocab = logits.size(-1);
  const at::Tensor targets = ids.to(logits.device()).narrow(1, 1, t - 1).reshape({-1});
  const at::Tensor loss = at::cross_entropy_loss(logits.narrow(1, 0, t - 1).reshape({-1, vocab}), targets);
  loss.backward();
  at::Tensor grad = top.grad();
  for (int64_t i = layers - 1; i >= 0; --i) {
    job.throw_if_cancelled();
    at::Tensor x = inputs[static_cast<size_t>(i)].detach();
    if (i > 0) x.requires_grad_();
    const at::Tensor y = model.train_layer(i, x);
    if (y.requires_grad()) y.backward(grad);
    if (i > 0) grad = x.grad();
    inputs[static_cast<size_t>(i + 1)].reset();
  }
  return loss.item<double>();
}

namespace {

// The block of each slot of each step: epochs of the blocks in an order shuffled by (seed, epoch).
class BlockOrder {
 public:
  BlockOrder(int64_t blocks, uint64_t seed) : blocks_(blocks), seed_(seed) {}
  at::Tensor step(int64_t step, int64_t batch) {  // (batch) block indices
    std::vector<int64_t> out;
    for (int64_t j = 0; j < batch; ++j) {
      const int64_t slot = step * batch + j, epoch = slot / blocks_;
      if (!orders_.count(epoch)) {
        at::Generator g = at::make_generator<at::CPUGeneratorImpl>(seed_ * 1000003 + uint64_t(epoch));
        orders_[epoch] = at::randperm(blocks_, g, at::kLong);
      }
      out.push_back(orders_[epoch][slot % blocks_].item<int64_t>());
    }
    return at::tensor(out, at::kLong);
  }

 private:
  int64_t blocks_;
  uint64_t seed_;
  std::map<int64_t, at::Tensor> orders_;
};

fs::path state_file(const fs::path& dir) {
  return dir / "state.safetensors";
}

}  // namespace

LoraTrainer::LoraTrainer(std::vector<at::Tensor> params, const HealRequest& request)
    : request_(request), params_(std::move(params)) {
  for (const auto& p : params_)
    exp_avg_.push_back(at::zeros_like(p)), exp_avg_sq_.push_back(at::zeros_like(p));
}

// transformers' get_cosine_schedule_with_warmup: the learning rate of step `step` (0-based).
double LoraTrainer::learning_rate(int64_t step) const {
  const HealRequest& r = request_;
  if (step < r.warmup_steps) return r.lr * double(step) / double(std::max<int64_t>(1, r.warmup_steps));
  const double progress =
      double(step - r.warmup_steps) / double(std::max<int64_t>(1, r.steps - r.warmup_steps));
  return r.lr * std::max(0.0, 0.5 * (1.0 + std::cos(M_PI * progress)));
}

HealStep LoraTrainer::step(const Model& model, const at::Tensor& ids, int64_t step, JobContext& job) {
  const auto start = std::chrono::steady_clock::now();
  const double loss = lora_loss_and_gradients(model, ids, job);
  if (!std::isfinite(loss))
    throw_bad_input("the loss became " + std::to_string(loss) + " at step " + std::to_string(step + 1) +
                    ": lower the learning rate");
  at::NoGradGuard no_grad;
  // torch.nn.utils.clip_grad_norm_: every gradient scaled by min(1, max / (‖all‖ + 1e-6)).
  if (request_.max_grad_norm > 0) {
    std::vector<at::Tensor> norms;
    for (const auto& p : params_)
      if (p.grad().defined()) norms.push_back(p.grad().norm());
    const at::Tensor coef = at::clamp_max(request_.max_grad_norm / (at::stack(norms).norm() + 1e-6), 1.0);
    for (const auto& p : params_)
      if (p.grad().defined()) p.grad().mul_(coef);
  }
  // torch.optim.AdamW (single-tensor, no amsgrad), step for step.
  const double lr = learning_rate(step);
  ++steps_;
  const double correction1 = 1 - std::pow(kBeta1, double(steps_));
  const double correction2_sqrt = std::sqrt(1 - std::pow(kBeta2, double(steps_)));
  for (size_t i = 0; i < params_.size(); ++i) {
    at::Tensor& p = params_[i];
    const at::Tensor grad = p.grad();
    if (!grad.defined()) continue;
    p.mul_(1 - lr * request_.weight_decay);
    exp_avg_[i].lerp_(grad, 1 - kBeta1);
    exp_avg_sq_[i].mul_(kBeta2).addcmul_(grad, grad, 1 - kBeta2);
    const at::Tensor denom = (exp_avg_sq_[i].sqrt() / correction2_sqrt).add_(kEps);
    p.addcdiv_(exp_avg_[i], denom, -lr / correction1);
  }
  drop_gradients();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {step + 1, loss, lr, double(ids.numel()) / seconds};
}

void LoraTrainer::drop_gradients() {
  for (auto& p : params_) p.mutable_grad().reset();
}

std::map<std::string, at::Tensor> LoraTrainer::state() const {
  std::map<std::string, at::Tensor> out;
  for (size_t i = 0; i < params_.size(); ++i) {
    out["param." + std::to_string(i)] = params_[i].detach().cpu();
    out["exp_avg." + std::to_string(i)] = exp_avg_[i].cpu();
    out["exp_avg_sq." + std::to_string(i)] = exp_avg_sq_[i].cpu();
  }
  return out;
}

void LoraTrainer::restore(const SafetensorsFile& file, int64_t steps) {
  at::NoGradGuard no_grad;
  auto read = [&](const std::string& name, at::Tensor& into) {
    if (!file.tensors().count(name) || file.view(name).sizes() != into.sizes())
      throw_bad_input(file.path().string() + ": " + name + " is missing or has another shape");
    into.copy_(file.view(name));
  };
  for (size_t i = 0; i < params_.size(); ++i) {
    read("param." + std::to_string(i), params_[i]);
    read("exp_avg." + std::to_string(i), exp_avg_[i]);
    read("exp_avg_sq." + std::to_string(i), exp_avg_sq_[i]);
  }
  steps_ = steps;
}

at::Tensor training_blocks(const Checkpoint& checkpoint, const HealRequest& request) {
  const Tokenizer tokenizer = Tokenizer::open(checkpoint.dir, checkpoint.config);
  const auto bos = tokenizer.bos_id();
  at::Tensor blocks = calibration_blocks(tokenizer, read_text_documents(request.data),
                                         request.steps * request.batch_size, request.seq_len - (bos ? 1 : 0),
                                         /*at_most=*/true);
  if (bos) blocks = at::cat({at::full({blocks.size(0), 1}, *bos, blocks.options()), blocks}, 1);
  return blocks;
}

fs::path heal_state_dir(const fs::path& out) {
  const fs::path target = output_path(out);
  return target.parent_path() / (target.filename().string() + ".heal-state");
}

HealResult heal(const Checkpoint& checkpoint, const HealRequest& request, const fs::path& out,
                const nlohmann::json& record, bool resume, JobContext& job,
                const std::function<void(const HealStep&)>& on_step) {
  check_request(request);
  check_export_output(checkpoint, out);  // before the training, not after it
  const c10::Device device = parse_device(request.device);
  const at::Tensor blocks = training_blocks(checkpoint, request);

  LoadOptions options;
  options.device = request.device;
  options.dtype = request.dtype;
  options.drops = request.drops;
  options.trainable = true;
  std::unique_ptr<Model> model = Model::load_in_job(checkpoint, options, job);
  const std::vector<Adapted> adapted = add_adapters(*model, request);
  std::vector<at::Tensor> params;
  for (const auto& a : adapted)
    for (const auto& p : a.adapter->parts) params.push_back(p.a), params.push_back(p.b);
  LoraTrainer trainer(params, request);

  HealResult result;
  result.blocks = blocks.size(0);
  result.adapted_linears = static_cast<int64_t>(adapted.size());
  for (const auto& p : params) result.trainable_parameters += p.numel();
  const fs::path state_dir = heal_state_dir(out);
  const nlohmann::json print = fingerprint(checkpoint, request);
  std::error_code ec;
  if (resume && fs::exists(state_file(state_dir), ec)) {
    const nlohmann::json saved = read_json_file(state_dir / "state.json");
    if (saved.value("fingerprint", nlohmann::json()) != print)
      throw_bad_input(state_dir.string() +
                      " holds a run with other settings (model, drops, data or training options): remove it "
                      "or run with those settings");
    result.resumed_at = saved.at("step").get<int64_t>();
    for (const auto& s : saved.at("steps"))
      result.steps.push_back({s.at("step"), s.at("loss"), s.at("lr"), s.at("tokens_per_second")});
    trainer.restore(*SafetensorsFile::open(state_file(state_dir)), result.resumed_at);
  }
  auto save_state = [&](int64_t step) {
    fs::create_directories(state_dir);
    write_safetensors(state_file(state_dir), trainer.state());
    write_file_atomically(
        state_dir / "state.json",
        nlohmann::json{{"fingerprint", print}, {"step", step}, {"steps", steps_json(result.steps)}}.dump(2) +
            "\n");
  };

  reset_peak_memory(device);
  BlockOrder order(blocks.size(0), request.seed);
  const auto start = std::chrono::steady_clock::now();
  for (int64_t step = result.resumed_at; step < request.steps; ++step) {
    try {
      job.throw_if_cancelled();
      const at::Tensor ids = blocks.index_select(0, order.step(step, request.batch_size)).to(device);
      const HealStep s = trainer.step(*model, ids, step, job);
      result.steps.push_back(s);
      if (on_step) on_step(s);
      char message[96];
      std::snprintf(message, sizeof message, "step %lld: loss %.4f, %.0f tokens/s", (long long)s.step, s.loss,
                    s.tokens_per_second);
      job.report(s.step, request.steps + 1, message);
      if (request.save_every > 0 && s.step % request.save_every == 0 && s.step < request.steps)
        save_state(s.step);
    } catch (const Error& e) {
      // Cancelled mid-step: the state of the last finished step is what a resumed run continues from.
      if (e.kind() == Error::Kind::Cancelled && request.save_every > 0 && step > result.resumed_at) {
        trainer.drop_gradients();
        save_state(step);
      }
      throw;
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.peak_memory_bytes = peak_memory_bytes(device);

  // The merged weights: W + scaling · B·A added in float32 and rounded once to the stored dtype (PEFT's
  // merge), each made when the writer reaches it.
  TensorOverrides merged;
  std::map<std::string, at::Tensor> adapter_tensors;
  for (const auto& a : adapted) {
    for (size_t k = 0; k < a.parts.size(); ++k) {
      const TensorPart& part = a.parts[k];
      const at::Tensor stored = checkpoint.tensors->view(part.weight);
      merged.added[part.weight] = {stored.sizes().vec(), stored.scalar_type(),
                                   [stored, adapter = a.adapter, k] {
                                     const at::Tensor delta = adapter->weight_delta(k).detach().cpu();
                                     return (stored.to(at::kFloat) + delta).to(stored.scalar_type());
                                   }};
      const std::string name = "base_model.model." + without_suffix(*exported_tensor_name(
                                                         checkpoint.config, request.drops, part.weight));
      adapter_tensors[name + ".lora_A.weight"] = a.adapter->parts[k].a.detach().cpu();
      adapter_tensors[name + ".lora_B.weight"] = a.adapter->parts[k].b.detach().cpu();
    }
  }
  std::set<std::string> targets;
  for (const auto& a : adapted)
    for (const auto& p : a.parts) targets.insert(projection_name(p.weight));
  model.reset();
  JobContext writing(
      job, [&](const Progress& p) { job.report(request.steps, request.steps + 1, "writing " + p.message); });
  export_pruned(checkpoint, request.drops, out, record, writing, merged);
  const fs::path adapter_dir = output_path(out) / "adapter";
  fs::create_directories(adapter_dir);
  write_safetensors(adapter_dir / "adapter_model.safetensors", adapter_tensors);
  const nlohmann::json adapter_config = {
      {"peft_type", "LORA"},
      {"task_type", "CAUSAL_LM"},
      {"base_model_name_or_path", fs::absolute(checkpoint.dir).lexically_normal().string()},
      {"r", request.rank},
      {"lora_alpha", request.alpha},
      {"lora_dropout", 0.0},
      {"target_modules", targets},
      {"bias", "none"},
      {"fan_in_fan_out", false},
      {"inference_mode", true},
      {"init_lora_weights", true},
      {"use_rslora", false},
      {"use_dora", false},
      {"modules_to_save", nullptr}};
  write_file_atomically(adapter_dir / "adapter_config.json", adapter_config.dump(2) + "\n");
  write_file_atomically(output_path(out) / "heal_log.json",
                        nlohmann::json{{"request", print},
                                       {"steps", steps_json(result.steps)},
                                       {"resumed_at", result.resumed_at},
                                       {"blocks", result.blocks},
                                       {"trainable_parameters", result.trainable_parameters}}
                                .dump(2) +
                            "\n");
  // Only what save_state wrote: anything else a user put there stays (and so does the folder then).
  for (const fs::path& written : {state_file(state_dir), state_dir / "state.json"}) fs::remove(written, ec);
  fs::remove(state_dir, ec);
  job.report(request.steps + 1, request.steps + 1, "written");
  return result;
}

}  // namespace llmdrop
