#!/usr/bin/env python3
"""Writes 16-bit copies of golden checkpoints with NumPy only (independent of the Java code under test), for
WeightsDtypeParityTest: the loader must read F16, BF16 and sharded checkpoints exactly as the float32 checkpoint
rounded to that dtype.

Run from this directory: python3 make_16bit.py
- llama/model-f16/: model.safetensors with every tensor rounded to float16 (numpy astype, round to nearest even)
- qwen2/model-bf16-sharded/, gemma2/model-bf16-sharded/: every tensor rounded to bfloat16 (round to nearest even
  on the float32 bits), split into two shards with a model.safetensors.index.json, as the Hub ships large models
"""
import json
import os
import shutil
import struct

import numpy as np


def read(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    header.pop("__metadata__", None)
    data = raw[8 + n:]
    out = {}
    for name, t in header.items():
        assert t["dtype"] == "F32", name
        start, end = t["data_offsets"]
        out[name] = np.frombuffer(data[start:end], dtype="<f4").reshape(t["shape"])
    return out


def bf16_bits(a):
    bits = a.astype("<f4").view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype("<u2")


def write(path, tensors):
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        dtype, array = tensors[name]
        blob = array.tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def copy_config(family, target):
    os.makedirs(target, exist_ok=True)
    shutil.copy(os.path.join(family, "model", "config.json"), os.path.join(target, "config.json"))


def f16(family):
    target = os.path.join(family, "model-f16")
    copy_config(family, target)
    tensors = read(os.path.join(family, "model", "model.safetensors"))
    write(os.path.join(target, "model.safetensors"),
          {n: ("F16", a.astype("<f2")) for n, a in tensors.items()})


def bf16_sharded(family):
    target = os.path.join(family, "model-bf16-sharded")
    copy_config(family, target)
    tensors = read(os.path.join(family, "model", "model.safetensors"))
    names = sorted(tensors)
    shards = [names[:len(names) // 2], names[len(names) // 2:]]
    weight_map = {}
    for i, part in enumerate(shards):
        file = "model-%05d-of-%05d.safetensors" % (i + 1, len(shards))
        write(os.path.join(target, file), {n: ("BF16", bf16_bits(tensors[n])) for n in part})
        weight_map.update({n: file for n in part})
    with open(os.path.join(target, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {}, "weight_map": weight_map}, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    f16("llama")
    bf16_sharded("qwen2")
    bf16_sharded("gemma2")
