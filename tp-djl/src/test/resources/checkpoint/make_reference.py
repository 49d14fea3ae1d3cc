#!/usr/bin/env python3
"""Writes the reference data of the checkpoint tests with NumPy only (independent of the Java code under test).

Run from this directory: python3 make_reference.py
- <family>/tensors.tsv: for every tensor of <family>/model.safetensors, parsed here with struct + json + numpy:
  name, dtype, shape, float64 sum of the elements, first and last element (float32 repr).
- mixed/model.safetensors + mixed/expected.tsv: a small file with F16, BF16, F32 scalar, empty, I64 and U8 tensors
  written here (header padded to 8 bytes as the reference writer does), and the float32 bit pattern of every
  F16/BF16 element widened by NumPy (F16: astype(float32); BF16: bits << 16).
"""
import json
import os
import struct

import numpy as np


def read(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    header.pop("__metadata__", None)
    data = raw[8 + n:]
    return header, data


def tensors_tsv(family):
    header, data = read(os.path.join(family, "model.safetensors"))
    with open(os.path.join(family, "tensors.tsv"), "w") as out:
        out.write("name\tdtype\tshape\tsum_f64\tfirst\tlast\n")
        for name in sorted(header):
            info = header[name]
            begin, end = info["data_offsets"]
            assert info["dtype"] == "F32"
            a = np.frombuffer(data[begin:end], dtype="<f4")
            out.write("%s\t%s\t%s\t%r\t%r\t%r\n" % (
                name, info["dtype"], ",".join(str(d) for d in info["shape"]),
                float(a.astype(np.float64).sum()), float(a[0]), float(a[-1])))


def mixed():
    f16 = np.array([[1.0, 65504.0, 2.0 ** -24, -np.inf], [np.nan, -0.0, 0.333251953125, -2.5]], dtype="<f2")
    f16_bits = f16.view("<u2")
    bf16_f32 = np.array([1.0, -3.140625, 1e-40, np.inf, 3.3895313892515355e38, -0.0], dtype="<f4")
    bf16_bits = (bf16_f32.view("<u4") >> 16).astype("<u2")
    tensors = [
        ("f16", "F16", [2, 4], f16_bits.tobytes()),
        ("bf16", "BF16", [6], bf16_bits.tobytes()),
        ("scalar", "F32", [], np.array(-7.25, dtype="<f4").tobytes()),
        ("empty", "F32", [0, 3], b""),
        ("ids", "I64", [3], np.array([-1, 0, 2 ** 40], dtype="<i8").tobytes()),
        ("mask", "U8", [2], bytes([0, 255])),
    ]
    header, blob = {"__metadata__": {"format": "pt", "writer": "make_reference.py"}}, b""
    for name, dtype, shape, payload in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(blob), len(blob) + len(payload)]}
        blob += payload
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    os.makedirs("mixed", exist_ok=True)
    with open("mixed/model.safetensors", "wb") as out:
        out.write(struct.pack("<Q", len(text)) + text + blob)
    with open("mixed/expected.tsv", "w") as out:
        out.write("name\tf32_bits_hex\n")
        for name, widened in (("f16", f16.astype(np.float32).ravel()),
                              ("bf16", (bf16_bits.astype("<u4") << 16).view("<f4"))):
            out.write("%s\t%s\n" % (name, ",".join("%08x" % b for b in widened.view("<u4"))))


for family in ("llama", "llama3", "qwen2", "gemma2"):
    tensors_tsv(family)
mixed()
