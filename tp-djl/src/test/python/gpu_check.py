"""GPU check of the TorchScript blocks that tp-djl runs, with Python torch only (no JDK, no Maven).

Every block is called by argument name through blocks/manifest.json, the contract tp-djl's BlockContract reads.

1. Parity: runs the golden checkpoints of tp-djl's tests (llama, llama3, qwen2, qwen3, gemma2, stories260K; every
   vanilla and Token Prepending setting) through the exported blocks in float32, bfloat16 and float16 and prints, per family and
   dtype, the largest difference from the float32 goldens over every layer's last-token state.
2. Speed: times a stack of Llama-2-7B-shaped decoder layers (the same llama_layer.pt block) at batch 64 and 256 and
   prints sentences/s for the stack and for the 27 layers of the Llama-2-7B preset, and the achieved TFLOP/s.

Run from the repository root on a machine with a CUDA GPU:

    python tp-djl/src/test/python/gpu_check.py --device cuda

and on any machine, with a small shape (minutes become seconds):

    python tp-djl/src/test/python/gpu_check.py --device cpu --small

Needs torch and numpy; nothing else. docs/gpu.md says what each printed number means.
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
BLOCKS = os.path.normpath(os.path.join(HERE, "..", "..", "main", "resources", "io", "github", "tokenprepending",
                                       "djl", "blocks"))
GOLDEN = os.path.normpath(os.path.join(HERE, "..", "resources", "golden"))
DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}
# the tolerance GoldenParityTest holds float32 to; reduced precision is reported, not judged
FP32_TOLERANCE = {"gemma2": 5e-4}


def load_safetensors(path):
    """Reads an F32/F16/BF16 safetensors file into CPU float32 tensors (no safetensors package needed)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    kinds = {"F32": (np.float32, 4), "F16": (np.float16, 2), "BF16": (np.uint16, 2)}
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        kind, _ = kinds[info["dtype"]]
        array = np.frombuffer(data[start:end], dtype=kind).reshape(info["shape"])
        if info["dtype"] == "BF16":
            array = (array.astype(np.uint32) << 16).view(np.float32)
        tensors[name] = torch.from_numpy(array.astype(np.float32).copy())
    return tensors


class Blocks:
    """The exported TorchScript blocks, called by argument name through blocks/manifest.json (the contract
    BlockContract reads on the Java side): a block whose arguments or weight slots change fails here by name."""

    def __init__(self, device):
        with open(os.path.join(BLOCKS, "manifest.json")) as f:
            self.contract = json.load(f)["blocks"]
        self.modules = {name: torch.jit.load(os.path.join(BLOCKS, name), map_location=device)
                        for name in self.contract}

    def weight_slots(self, block):
        return self.contract[block]["weights"]

    def __call__(self, block, **values):
        names = [a["name"] for a in self.contract[block]["arguments"]]
        missing = [n for n in names if n not in values]
        unknown = sorted(set(values) - set(names))
        if missing or unknown:
            raise SystemExit("%s (blocks/manifest.json) takes %s; gpu_check.py gives no %s and unknown %s"
                             % (block, names, missing, unknown))
        return self.modules[block](*[values[n] for n in names])


def layer_block(config):
    return {"gemma2": "gemma2_layer.pt", "qwen3": "qwen3_layer.pt"}.get(config["model_type"], "llama_layer.pt")


def rope_parameters(config):
    """(theta, scaling) from a transformers 4 config (rope_theta, rope_scaling) or a 5 one (rope_parameters)."""
    parameters = config.get("rope_parameters") or {}
    theta = config.get("rope_theta", parameters.get("rope_theta", 10000.0))
    return float(theta), config.get("rope_scaling") or parameters


def rope_arguments(scaling):
    kind = scaling.get("rope_type", scaling.get("type", "default"))
    if kind == "llama3":
        return dict(rope_type=2, factor=float(scaling["factor"]), low_freq_factor=float(scaling["low_freq_factor"]),
                    high_freq_factor=float(scaling["high_freq_factor"]),
                    original_max=int(scaling["original_max_position_embeddings"]))
    if kind == "linear":
        return dict(rope_type=1, factor=float(scaling["factor"]), low_freq_factor=1.0, high_freq_factor=1.0,
                    original_max=0)
    if kind != "default":
        raise SystemExit("rope_type %s: gpu_check.py knows default, linear and llama3" % kind)
    return dict(rope_type=0, factor=1.0, low_freq_factor=1.0, high_freq_factor=1.0, original_max=0)


def layer_weights(w, i, slots, dtype, device, empty):
    """Layer i's weights by the block's slot names (the checkpoint tensors HF names, fused as the Java side does)."""
    p = "model.layers.%d." % i
    a = p + "self_attn."
    sources = {
        "input_layernorm": lambda: w[p + "input_layernorm.weight"],
        "qkv": lambda: torch.cat([w[a + "q_proj.weight"], w[a + "k_proj.weight"], w[a + "v_proj.weight"]]),
        "o": lambda: w[a + "o_proj.weight"],
        "post_attention_layernorm": lambda: w[p + "post_attention_layernorm.weight"],
        "pre_feedforward_layernorm": lambda: w[p + "pre_feedforward_layernorm.weight"],
        "post_feedforward_layernorm": lambda: w[p + "post_feedforward_layernorm.weight"],
        "gate_up": lambda: torch.cat([w[p + "mlp.gate_proj.weight"], w[p + "mlp.up_proj.weight"]]),
        "down": lambda: w[p + "mlp.down_proj.weight"],
        "qkv_bias": lambda: (torch.cat([w[a + "q_proj.bias"], w[a + "k_proj.bias"], w[a + "v_proj.bias"]])
                             if a + "q_proj.bias" in w else empty),
        "o_bias": lambda: w.get(a + "o_proj.bias", empty),
        "q_norm": lambda: w[a + "q_norm.weight"],
        "k_norm": lambda: w[a + "k_norm.weight"],
    }
    unknown = [s for s in slots if s not in sources]
    if unknown:
        raise SystemExit("weight slots %s (blocks/manifest.json) are unknown to gpu_check.py" % unknown)
    return {s: sources[s]().to(device=device, dtype=dtype) for s in slots}


def golden_difference(family, dtype, device, b):
    """Largest |ours - golden| over every setting, layer and real row of a family's golden checkpoint."""
    root = os.path.join(GOLDEN, family)
    manifest = json.load(open(os.path.join(root, "manifest.json")))
    config = json.load(open(os.path.join(root, "model", "config.json")))
    inputs = json.load(open(os.path.join(root, "inputs.json")))
    w = load_safetensors(os.path.join(root, "model", "model.safetensors"))
    gemma = config["model_type"] == "gemma2"
    block = layer_block(config)
    layers = config["num_hidden_layers"]
    hidden = config["hidden_size"]
    head_dim = config.get("head_dim") or hidden // config["num_attention_heads"]
    eps = float(config["rms_norm_eps"])
    empty = torch.zeros(0, device=device, dtype=dtype)
    weights = [layer_weights(w, i, b.weight_slots(block), dtype, device, empty) for i in range(layers)]
    embed = w["model.embed_tokens.weight"].to(device=device, dtype=dtype)
    norm = w["model.norm.weight"].to(device=device, dtype=dtype)
    theta, scaling = rope_parameters(config)
    _, cos_table, sin_table = b("rope.pt", head_dim=head_dim, base=theta, **rope_arguments(scaling),
                                positions=int(config["max_position_embeddings"]))
    cos_table, sin_table = cos_table.to(device), sin_table.to(device)
    window = int(config.get("sliding_window") or 0) if gemma else 0
    extra = dict(scale=float(config.get("query_pre_attn_scalar", head_dim)) ** -0.5,
                 softcap=float(config.get("attn_logit_softcapping") or 0.0)) if gemma else {}
    act = 1 if gemma else 0
    embed_scale = math.sqrt(hidden) if gemma else 1.0
    worst = 0.0
    magnitude = 0.0
    for setting, plan in manifest["settings"].items():
        golden = np.load(os.path.join(root, setting, "last_token.npy"))  # [L+1, B, H]
        # a setting may run its own inputs (e.g. the vanilla prompt without <PST>)
        rows = inputs[plan["inputs"].split("->")[1].strip()] if "inputs" in plan else inputs
        ids = torch.tensor(rows["input_ids"], dtype=torch.int64, device=device)
        valid = torch.tensor(rows["attention_mask"], dtype=torch.int64, device=device)
        positions = torch.tensor(rows["position_ids"], dtype=torch.int64, device=device)
        pst = torch.tensor(rows.get("pst_index", [-1] * ids.shape[0]), dtype=torch.int64, device=device)
        tp = plan["plan"] == "tp"
        start, end = (plan["tp_starting_index"], plan["tp_exiting_index"]) if tp else (0, 0)
        pst_cols = pst if tp else torch.full_like(pst, -1)
        h, cos, sin, mask, window_mask = b("prepare.pt", ids=ids, embed_weight=embed, pst_cols=pst_cols,
                                           pst_vector=empty, positions=positions, key_positions=positions,
                                           key_valid=valid, cos_table=cos_table, sin_table=sin_table,
                                           embed_scale=embed_scale, window=window)
        states = [h[:, -1, :]]
        past = torch.zeros(0, device=device, dtype=dtype)
        for i in range(layers):
            layer_mask = window_mask if gemma and i % 2 == 0 else mask
            h, _, _ = b(block, h=h, cos=cos, sin=sin, mask=layer_mask, past_k=past, past_v=past, prefix_len=0,
                        eps=eps, pst_cols=pst_cols, replace=tp and start <= i < end, last_only=False, act=act,
                        packed=[], reduce_range=False, scratch=past, **weights[i], **extra)
            states.append(h[:, -1, :])
        last = torch.full((ids.shape[0],), ids.shape[1] - 1, dtype=torch.int64, device=device)
        states[-1] = b("pool.pt", h=h, cols=last, norm_weight=norm, eps=eps, norm=2 if gemma else 1)
        ours = torch.stack([s.to(torch.float32) for s in states]).cpu().numpy()
        worst = max(worst, float(np.abs(ours - golden).max()))
        magnitude = max(magnitude, float(np.abs(golden).max()))
    return worst, magnitude


def parity(device):
    b = Blocks(device)
    families = sorted(d for d in os.listdir(GOLDEN) if os.path.isfile(os.path.join(GOLDEN, d, "manifest.json")))
    print("golden parity: max |difference| from the float32 goldens, last token of every layer, every setting")
    print("%-15s %10s %10s %10s %12s" % ("checkpoint", "fp32", "bf16", "fp16", "max |golden|"))
    ok = True
    for family in families:
        row = {}
        for name, dtype in DTYPES.items():
            try:
                row[name], magnitude = golden_difference(family, dtype, device, b)
            except RuntimeError as e:
                if "not implemented for" not in str(e):
                    raise
                row[name] = float("nan")  # e.g. float16 matrix products on the CPU of torch 1.13
        tolerance = FP32_TOLERANCE.get(family, 1e-4)
        ok &= row["fp32"] <= tolerance
        print("%-15s %10.2e %10.2e %10.2e %12.2f%s" % (family, row["fp32"], row["bf16"], row["fp16"], magnitude,
                                                      "" if row["fp32"] <= tolerance else
                                                      "  fp32 over %.0e" % tolerance))
    return ok


def speed(device, dtype, hidden, heads, intermediate, layers, seq, batches, repeats):
    b = Blocks(device)
    d = hidden // heads
    generator = torch.Generator(device="cpu").manual_seed(1)

    def matrix(rows, cols):
        return (torch.randn(rows, cols, generator=generator) / math.sqrt(cols)).to(device=device, dtype=dtype)

    empty = torch.zeros(0, device=device, dtype=dtype)
    ones = torch.ones(hidden, device=device, dtype=dtype)
    weights = [dict(input_layernorm=ones, qkv=matrix(3 * hidden, hidden), o=matrix(hidden, hidden),
                    post_attention_layernorm=ones, gate_up=matrix(2 * intermediate, hidden),
                    down=matrix(hidden, intermediate), qkv_bias=empty, o_bias=empty) for _ in range(layers)]
    _, cos_table, sin_table = b("rope.pt", head_dim=d, base=10000.0, **rope_arguments({}), positions=seq)
    # FLOPs per token and layer: projections 2(4 H^2 + 3 H I), attention 4 T H
    flops_per_token = 2 * (4 * hidden * hidden + 3 * hidden * intermediate) + 4 * seq * hidden
    print("speed: %d Llama layers (hidden %d, %d heads, intermediate %d), %d tokens per sentence, %s on %s"
          % (layers, hidden, heads, intermediate, seq, str(dtype).replace("torch.", ""), device))
    print("%6s %12s %14s %22s %10s" % ("batch", "ms/stack", "sentences/s", "sentences/s 27 layers", "TFLOP/s"))
    for batch in batches:
        positions = torch.arange(seq, device=device).expand(batch, seq)
        valid = torch.ones(batch, seq, dtype=torch.int64, device=device)
        ids = torch.randint(0, 1000, (batch, seq), generator=generator).to(device)
        embed = matrix(1000, hidden)
        pst = torch.full((batch,), 4, dtype=torch.int64, device=device)
        h0, cos, sin, mask, _ = b("prepare.pt", ids=ids, embed_weight=embed, pst_cols=pst, pst_vector=empty,
                                  positions=positions, key_positions=positions, key_valid=valid,
                                  cos_table=cos_table.to(device), sin_table=sin_table.to(device), embed_scale=1.0,
                                  window=0)

        def run():
            h = h0
            for i in range(layers):
                h, _, _ = b("llama_layer.pt", h=h, cos=cos, sin=sin, mask=mask, past_k=empty, past_v=empty,
                            prefix_len=0, eps=1e-5, pst_cols=pst, replace=i < 6, last_only=i == layers - 1, act=0,
                            packed=[], reduce_range=False, scratch=empty, **weights[i])
            return h

        with torch.no_grad():
            run()
            synchronize(device)
            start = time.perf_counter()
            for _ in range(repeats):
                run()
            synchronize(device)
        seconds = (time.perf_counter() - start) / repeats
        flops = flops_per_token * batch * seq * layers
        print("%6d %12.1f %14.1f %22.1f %10.2f" % (batch, 1000 * seconds, batch / seconds,
                                                   batch / seconds * layers / 27, flops / seconds / 1e12))


def synchronize(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", default="cuda", help="cuda, cuda:N or cpu (default cuda)")
    parser.add_argument("--small", action="store_true",
                        help="a small layer shape (hidden 256, 2 layers, batch 4 and 8) to check the script on a CPU")
    parser.add_argument("--layers", type=int, default=8, help="Llama-2-7B-shaped layers in the timed stack (default 8)")
    parser.add_argument("--seq", type=int, default=32, help="tokens per sentence (default 32)")
    parser.add_argument("--dtype", default="bf16", choices=sorted(DTYPES), help="dtype of the timed stack")
    parser.add_argument("--repeats", type=int, default=10, help="timed passes per batch size (default 10)")
    args = parser.parse_args()
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        sys.exit("no CUDA device visible to torch %s (run with --device cpu --small to check the script)"
                 % torch.__version__)
    where = torch.cuda.get_device_name(torch.device(args.device)) if args.device.startswith("cuda") else "CPU"
    print("torch %s, device %s (%s)" % (torch.__version__, args.device, where))
    ok = parity(args.device)
    print()
    if args.small:
        speed(args.device, DTYPES[args.dtype], 256, 4, 688, 2, 16, [4, 8], 3)
    else:
        speed(args.device, DTYPES[args.dtype], 4096, 32, 11008, args.layers, args.seq, [64, 256], args.repeats)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
