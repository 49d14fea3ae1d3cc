"""GPU check of the TorchScript blocks that tp-djl runs, with Python torch only (no JDK, no Maven).

1. Parity: runs the golden checkpoints of tp-djl's tests (llama, llama3, qwen2, gemma2; every vanilla and Token
   Prepending setting) through the exported blocks in float32, bfloat16 and float16 and prints, per family and
   dtype, the largest difference from the float32 goldens over every layer's last-token state.
2. Speed: times a stack of Llama-2-7B-shaped decoder layers (the same llama_layer.pt block) at batch 64 and 256 and
   prints sentences/s for the stack and for the 27 layers of the Llama-2-7B preset, and the achieved TFLOP/s.

Run from the repository root on a machine with a CUDA GPU:

    python tp-djl/src/test/python/gpu_check.py --device cuda

and on any machine, with a small shape (minutes become seconds):

    python tp-djl/src/test/python/gpu_check.py --device cpu --small

Needs torch (1.13 or 2.x) and numpy; nothing else.
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


def blocks(device):
    return {name: torch.jit.load(os.path.join(BLOCKS, name + ".pt"), map_location=device)
            for name in ("prepare", "rope", "llama_layer", "gemma2_layer", "pool")}


def rope_arguments(config):
    scaling = config.get("rope_scaling") or {}
    kind = scaling.get("rope_type", scaling.get("type", "default"))
    if kind == "llama3":
        return (2, float(scaling["factor"]), float(scaling["low_freq_factor"]), float(scaling["high_freq_factor"]),
                int(scaling["original_max_position_embeddings"]))
    if kind == "linear":
        return 1, float(scaling["factor"]), 1.0, 1.0, 0
    return 0, 1.0, 1.0, 1.0, 0


def layer_weights(w, i, gemma, dtype, device, empty):
    p = "model.layers.%d." % i
    a = p + "self_attn."
    qkv = torch.cat([w[a + "q_proj.weight"], w[a + "k_proj.weight"], w[a + "v_proj.weight"]])
    gate_up = torch.cat([w[p + "mlp.gate_proj.weight"], w[p + "mlp.up_proj.weight"]])
    if gemma:
        names = [w[p + "input_layernorm.weight"], qkv, w[a + "o_proj.weight"],
                 w[p + "post_attention_layernorm.weight"], w[p + "pre_feedforward_layernorm.weight"],
                 w[p + "post_feedforward_layernorm.weight"], gate_up, w[p + "mlp.down_proj.weight"]]
    else:
        bias = (torch.cat([w[a + "q_proj.bias"], w[a + "k_proj.bias"], w[a + "v_proj.bias"]])
                if a + "q_proj.bias" in w else empty)
        names = [w[p + "input_layernorm.weight"], qkv, w[a + "o_proj.weight"],
                 w[p + "post_attention_layernorm.weight"], gate_up, w[p + "mlp.down_proj.weight"], bias,
                 w.get(a + "o_proj.bias", empty)]
    return [t.to(device=device, dtype=dtype) for t in names]


def golden_difference(family, dtype, device, b):
    """Largest |ours - golden| over every setting, layer and real row of a family's golden checkpoint."""
    root = os.path.join(GOLDEN, family)
    manifest = json.load(open(os.path.join(root, "manifest.json")))
    config = json.load(open(os.path.join(root, "model", "config.json")))
    inputs = json.load(open(os.path.join(root, "inputs.json")))
    w = load_safetensors(os.path.join(root, "model", "model.safetensors"))
    gemma = config["model_type"] == "gemma2"
    layers = config["num_hidden_layers"]
    hidden = config["hidden_size"]
    head_dim = config.get("head_dim") or hidden // config["num_attention_heads"]
    eps = float(config["rms_norm_eps"])
    empty = torch.zeros(0, device=device, dtype=dtype)
    weights = [layer_weights(w, i, gemma, dtype, device, empty) for i in range(layers)]
    embed = w["model.embed_tokens.weight"].to(device=device, dtype=dtype)
    norm = w["model.norm.weight"].to(device=device, dtype=dtype)
    _, cos_table, sin_table = b["rope"](head_dim, float(config.get("rope_theta", 10000.0)),
                                        *rope_arguments(config), int(config["max_position_embeddings"]))
    cos_table, sin_table = cos_table.to(device), sin_table.to(device)
    window = int(config.get("sliding_window") or 0) if gemma else 0
    scale = float(config.get("query_pre_attn_scalar", head_dim)) ** -0.5
    softcap = float(config.get("attn_logit_softcapping") or 0.0)
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
        h, cos, sin, mask, window_mask = b["prepare"](ids, embed, pst_cols, empty, positions, positions, valid,
                                                      cos_table, sin_table, embed_scale, window)
        states = [h[:, -1, :]]
        past = torch.zeros(0, device=device, dtype=dtype)
        for i in range(layers):
            replace = tp and start <= i < end
            if gemma:
                layer_mask = window_mask if i % 2 == 0 else mask
                h, _, _ = b["gemma2_layer"](h, cos, sin, layer_mask, past, past, 0, weights[i], eps, pst_cols,
                                            replace, False, act, scale, softcap)
            else:
                h, _, _ = b["llama_layer"](h, cos, sin, mask, past, past, 0, weights[i], eps, pst_cols, replace,
                                           False, act)
            states.append(h[:, -1, :])
        last = torch.full((ids.shape[0],), ids.shape[1] - 1, dtype=torch.int64, device=device)
        states[-1] = b["pool"](h, last, norm, eps, 2 if gemma else 1)
        ours = torch.stack([s.to(torch.float32) for s in states]).cpu().numpy()
        worst = max(worst, float(np.abs(ours - golden).max()))
        magnitude = max(magnitude, float(np.abs(golden).max()))
    return worst, magnitude


def parity(device):
    b = blocks(device)
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
    b = blocks(device)
    d = hidden // heads
    generator = torch.Generator(device="cpu").manual_seed(1)

    def matrix(rows, cols):
        return (torch.randn(rows, cols, generator=generator) / math.sqrt(cols)).to(device=device, dtype=dtype)

    empty = torch.zeros(0, device=device, dtype=dtype)
    ones = torch.ones(hidden, device=device, dtype=dtype)
    weights = [[ones, matrix(3 * hidden, hidden), matrix(hidden, hidden), ones, matrix(2 * intermediate, hidden),
                matrix(hidden, intermediate), empty, empty] for _ in range(layers)]
    _, cos_table, sin_table = b["rope"](d, 10000.0, 0, 1.0, 1.0, 1.0, 0, seq)
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
        h0, cos, sin, mask, _ = b["prepare"](ids, embed, pst, empty, positions, positions, valid,
                                             cos_table.to(device), sin_table.to(device), 1.0, 0)

        def run():
            h = h0
            for i in range(layers):
                h, _, _ = b["llama_layer"](h, cos, sin, mask, empty, empty, 0, weights[i], 1e-5, pst, i < 6,
                                           i == layers - 1, 0)
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
