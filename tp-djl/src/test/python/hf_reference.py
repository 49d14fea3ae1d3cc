#!/usr/bin/env python3
"""Golden last-token states of a model family from the HF transformers implementation (not from our code).

Token Prepending is applied with the official rule through forward pre-hooks on the stock decoder layers:
before decoder layer i, for start <= i < exit, row b's <PST> column (first occurrence of the <PST> id) becomes
a copy of its last column, in place (as the official senllm code writes it). Nothing else changes.

Needs a venv with torch, transformers (5.x has Qwen3), safetensors and numpy:

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install torch transformers safetensors tokenizers
    cd tp-djl/src/test/resources/golden
    /tmp/venv/bin/python ../../python/hf_reference.py validate qwen2     # the hooks reproduce the official code
    /tmp/venv/bin/python ../../python/hf_reference.py make qwen3         # writes qwen3/ (model, inputs, settings)

`validate DIR` runs every setting of an existing golden set made with the official code and fails unless every
k matches its last_token.npy within 1e-4. `make FAMILY` builds a tiny random checkpoint (FAMILIES below), feeds
it qwen2/inputs.json (ids < 300, <PST> = 299), and writes DIR/<setting>/last_token.npy [L+1, B, H] in the golden
layout: k = 0 embeddings, 1..L-1 output of layer k-1, L final-normed output of the last layer. GoldenParityTest
picks the new directory up by itself. A new family: add its entry to FAMILIES (config and weight rules).
"""
import json
import os
import shutil
import sys

import numpy as np
import torch
import transformers
from transformers import AutoConfig, AutoModelForCausalLM

SETTINGS = {"vanilla": None, "tp_s1_e3": (1, 3), "tp_s0_e2": (0, 2), "tp_s1_e99": (1, 99), "tp_s2_e4": (2, 4)}
TOLERANCE = 1e-4

# Tiny checkpoints: hidden 64, vocab 300 like the other golden sets; head_dim differs from hidden/heads where the
# family takes it from the config.
FAMILIES = {
    "qwen3": {
        "seed": 1005,
        "config": {
            "model_type": "qwen3", "architectures": ["Qwen3ForCausalLM"], "vocab_size": 300, "hidden_size": 64,
            "intermediate_size": 128, "num_hidden_layers": 5, "num_attention_heads": 4,
            "num_key_value_heads": 2, "head_dim": 32, "hidden_act": "silu", "max_position_embeddings": 256,
            "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "tie_word_embeddings": True, "attention_bias": False,
            "use_sliding_window": False, "bos_token_id": None, "eos_token_id": 2, "pad_token_id": 0,
        },
    },
}

WEIGHT_INIT = ("Linear weights ~ N(0, 1/fan_in); RMSNorm weights (layer norms, final norm, q_norm, k_norm) "
               "1 + N(0, 0.1^2); embeddings and the <PST> row ~ N(0, 1); biases (if any) ~ N(0, 0.3^2).")


def tp_hooks(model, pst_cols, start, exit_):
    """Forward pre-hooks on the decoder layers start..exit-1 that apply the Token Prepending step."""
    handles = []
    rows = torch.arange(pst_cols.shape[0])
    layers = model.model.layers

    def hook(module, args, kwargs):
        h = args[0] if args else kwargs["hidden_states"]
        h[rows, pst_cols, :] = h[:, -1, :].clone()
        return None

    for i in range(start, min(exit_, len(layers))):
        handles.append(layers[i].register_forward_pre_hook(hook, with_kwargs=True))
    return handles


def last_token_states(model, inputs, tp):
    """[L+1, B, H]: k = 0 embeddings, 1..L-1 output of layer k-1, L final-normed output of layer L-1."""
    ids = torch.tensor(inputs["input_ids"])
    mask = torch.tensor(inputs["attention_mask"])
    positions = torch.tensor(inputs["position_ids"])
    pst = (ids == inputs["pst_id"]).float().argmax(dim=1)
    layer_out = []
    handles = [layer.register_forward_hook(lambda m, a, o: layer_out.append(o[0] if isinstance(o, tuple) else o))
               for layer in model.model.layers]
    if tp is not None:
        handles += tp_hooks(model, pst, *tp)
    try:
        with torch.no_grad():
            out = model(input_ids=ids, attention_mask=mask, position_ids=positions, output_hidden_states=True,
                        use_cache=False)
    finally:
        for h in handles:
            h.remove()
    hs = out.hidden_states
    n = len(model.model.layers)
    # What hidden_states holds in this transformers version: checked against the layers' own outputs.
    assert len(hs) == n + 1, f"{len(hs)} hidden states for {n} layers"
    for k in range(1, n):
        assert torch.equal(hs[k][:, -1], layer_out[k - 1][:, -1]), f"hidden_states[{k}] is not layer {k - 1}'s output"
    with torch.no_grad():
        normed = model.model.norm(layer_out[n - 1])
    assert torch.equal(hs[n][:, -1], normed[:, -1]), "hidden_states[-1] is not the final-normed last layer"
    return torch.stack([h[:, -1, :] for h in hs]).numpy().astype("<f4")


def load(model_dir):
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="eager")
    return model.eval()


def validate(golden_dir):
    manifest = json.load(open(os.path.join(golden_dir, "manifest.json")))
    inputs = json.load(open(os.path.join(golden_dir, "inputs.json")))
    model = load(os.path.join(golden_dir, "model"))
    worst = 0.0
    for name, s in manifest["settings"].items():
        tp = (s["tp_starting_index"], s["tp_exiting_index"]) if s["plan"] == "tp" else None
        ours = last_token_states(model, inputs, tp)
        want = np.load(os.path.join(golden_dir, name, "last_token.npy"))
        diff = float(np.abs(ours - want).max())
        worst = max(worst, diff)
        print(f"{golden_dir} {name}: max |hooks - official| = {diff:.3g}")
        assert diff <= TOLERANCE, f"{name}: {diff} > {TOLERANCE}"
    return worst


def init_weights(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            if "norm" in name:
                p.copy_(1 + 0.1 * torch.randn(p.shape, generator=g))
            elif "embed_tokens" in name:
                p.copy_(torch.randn(p.shape, generator=g))
            elif name.endswith(".bias"):
                p.copy_(0.3 * torch.randn(p.shape, generator=g))
            elif p.dim() == 2:
                p.copy_(torch.randn(p.shape, generator=g) / p.shape[1] ** 0.5)
            else:
                raise ValueError(f"no init rule for {name}")


def make(family, template="qwen2"):
    spec = FAMILIES[family]
    out = family
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    config = AutoConfig.for_model(**spec["config"])
    torch.manual_seed(spec["seed"])
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32, attn_implementation="eager").eval()
    init_weights(model, spec["seed"])
    model.save_pretrained(os.path.join(out, "model"), safe_serialization=True)
    shutil.copy(os.path.join(template, "inputs.json"), os.path.join(out, "inputs.json"))
    inputs = json.load(open(os.path.join(out, "inputs.json")))
    model = load(os.path.join(out, "model"))  # exactly what was saved
    settings = {}
    files = {}
    for name, tp in SETTINGS.items():
        states = last_token_states(model, inputs, tp)
        os.makedirs(os.path.join(out, name))
        np.save(os.path.join(out, name, "last_token.npy"), states)
        settings[name] = {"plan": "tp" if tp else "vanilla", "tp_starting_index": tp[0] if tp else None,
                          "tp_exiting_index": tp[1] if tp else None}
        files[f"{name}/last_token.npy"] = {"shape": list(states.shape), "dtype": "float32",
                                           "meaning": "hidden_states[k][:, -1, :] for every k"}
    manifest = {
        "family": family,
        "hf_model_type": spec["config"]["model_type"],
        "reference": f"HF transformers {transformers.__version__} {spec['config']['architectures'][0]} (torch "
                     f"{torch.__version__}, fp32, CPU, eager attention); Token Prepending through forward "
                     "pre-hooks on the stock decoder layers (tp_hooks), validated against the official-code "
                     f"golden set '{template}'",
        "generator": "tp-djl/src/test/python/hf_reference.py make " + family,
        "num_hidden_layers": config.num_hidden_layers,
        "hidden_size": config.hidden_size,
        "head_dim": spec["config"].get("head_dim"),
        "weight_init": WEIGHT_INIT,
        "seed": spec["seed"],
        "inputs": f"copied from {template}/inputs.json (left-padded, position_ids arange(T) per row, <PST> = 299)",
        "settings": settings,
        "files": files,
    }
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print(f"wrote {out}/ ({len(settings)} settings, transformers {transformers.__version__})")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("validate", "make"):
        sys.exit(__doc__)
    if sys.argv[1] == "validate":
        print(f"worst {validate(sys.argv[2]):.3g}")
    else:
        make(sys.argv[2])
