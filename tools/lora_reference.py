"""The hand-written LoRA the #26 reference scripts share (make_heal_fixtures.py, bench_heal_reference.py,
check_heal_adapter.py): PEFT's LoRA Linear forward written out, and the projections of a Llama-style model it goes
on."""
import torch

PROJECTIONS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


class LoraLinear(torch.nn.Module):
    """base(x) + B(A(x)) · scaling with A (r, K) and B (N, r) float32 parameters, x cast to float32 for them and
    the sum rounded to base's output dtype, as PEFT computes it."""

    def __init__(self, base, a, b, scaling):
        super().__init__()
        self.base = base
        self.lora_A = torch.nn.Parameter(a)
        self.lora_B = torch.nn.Parameter(b)
        self.scaling = scaling

    def forward(self, x):
        result = self.base(x)
        return (result + (x.float() @ self.lora_A.t() @ self.lora_B.t()) * self.scaling).to(result.dtype)


def attach_everywhere(model, make):
    """A LoraLinear on every projection of every layer, in layer order, q … down: make(path, base) returns its
    (A, B, scaling), path the module's name in the checkpoint (model.layers.0.self_attn.q_proj). Returns
    {path: LoraLinear}."""
    adapters = {}
    for i, layer in enumerate(model.model.layers):
        for owner_name, names in (("self_attn", PROJECTIONS[:4]), ("mlp", PROJECTIONS[4:])):
            owner = getattr(layer, owner_name)
            for name in names:
                path = f"model.layers.{i}.{owner_name}.{name}"
                base = getattr(owner, name)
                adapters[path] = LoraLinear(base, *make(path, base))
                setattr(owner, name, adapters[path])
    return adapters
