"""Exports the TorchScript blocks of tp-djl and their contract with the Java side.

Run from the repository root with a PyTorch that DJL 0.35 can load (Debian's python3-torch 1.13 works):

    /usr/bin/python3 tp-djl/src/main/python/export_blocks.py

It writes tp-djl/src/main/resources/io/github/tokenprepending/djl/blocks/*.pt (a few kB each, no weights) and
manifest.json beside them: for every block its arguments in call order (name and TorchScript type), which of
them are a layer's weights, what it returns, the enum codes (dtype, activation, norm, rope_type) and the order of
the int8 matrices in a layer's `packed` list. Java fills arguments by name from that manifest; BlockContractTest
fails when the Java side and the manifest disagree.
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tp_blocks import BLOCKS, CODES, PACKED, WEIGHTS, Cast, Pool, Quantize, _activation, _product  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "io", "github",
                   "tokenprepending", "djl", "blocks")


def _check_codes() -> None:
    """The literals inside the TorchScript functions must mean what CODES says."""
    x = torch.linspace(-3, 3, 13)
    for name, code in CODES["dtype"].items():
        assert Cast()(x, code).dtype == getattr(torch, name), f"dtype code {code} is not {name}"
    want = {"silu": F.silu(x), "gelu_tanh": F.gelu(x, approximate="tanh"), "gelu": F.gelu(x)}
    for name, code in CODES["activation"].items():
        assert torch.equal(_activation(x, code), want[name]), f"activation code {code} is not {name}"
    h = torch.randn(2, 3, 4)
    w = torch.full((4,), 0.5)
    cols = torch.tensor([0, 2])
    plain = h[torch.arange(2), cols]
    rms = plain * torch.rsqrt(plain.pow(2).mean(-1, keepdim=True) + 1e-6)
    want_norm = {"none": plain, "rms": rms * 0.5, "rms_unit_offset": rms * 1.5}
    for name, code in CODES["norm"].items():
        assert torch.allclose(Pool()(h, cols, w, 1e-6, code), want_norm[name]), f"norm code {code} is not {name}"
    # int8 products are exact on integers: rows that are integer multiples of a power of two (their scale) and
    # activations in 0..127 (quantized with scale 1 in reduce_range's 7 bits)
    scales = torch.pow(2.0, -torch.arange(8, dtype=torch.float32)).unsqueeze(1)
    m = torch.randint(-127, 128, (8, 16)).to(torch.float32)
    m[:, 0] = 127
    m = m * scales
    packed, shapes = torch.jit.script(Quantize())([m.to(torch.float16)])
    x = torch.randint(0, 128, (3, 16)).to(torch.float32)
    x[0, 0] = 0
    x[0, 1] = 127
    y = torch.ops.quantized.linear_dynamic(x, packed[0], True)
    assert shapes[0].shape == m.shape and shapes[0].is_meta, "quantize shapes"
    assert torch.allclose(y, F.linear(x, m), rtol=1e-6, atol=1e-4), "quantize / linear_dynamic"


def _check_scratch() -> None:
    """A matrix converted into the pass's scratch buffer gives exactly the product of one converted anew."""
    m = torch.randn(6, 5).to(torch.float16)
    x = torch.randn(2, 3, 5)
    scratch = torch.empty(40)
    y = torch.jit.script(_product)(x, m, [], 0, False, scratch)
    assert torch.equal(y, F.linear(x, m.to(torch.float32))), "_product through scratch"
    assert torch.equal(torch.jit.script(_product)(x, m, [], 0, False, scratch[:0]), y), "_product without scratch"


def _signature(name: str, scripted: torch.jit.ScriptModule) -> dict:
    """The scripted forward's schema: what the .pt file itself takes (the first argument is the module)."""
    schema = scripted.forward.schema
    arguments = [{"name": a.name, "type": str(a.type)} for a in schema.arguments[1:]]
    names = [a["name"] for a in arguments]
    weights = WEIGHTS.get(name, [])
    missing = [w for w in weights if w not in names]
    assert not missing, f"{name}: weight slots {missing} are not arguments of its forward"
    return {"arguments": arguments, "weights": weights, "returns": [str(r.type) for r in schema.returns]}


def _write(path: str, data: bytes) -> None:
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    _check_codes()
    _check_scratch()
    manifest = {"format": 1, "torch": torch.__version__.split("+")[0], "codes": CODES, "packed": PACKED,
                "blocks": {}}
    for name, block in BLOCKS.items():
        scripted = torch.jit.script(block())
        path = os.path.normpath(os.path.join(OUT, name))
        tmp = path + ".tmp"
        scripted.save(tmp)
        os.replace(tmp, path)
        manifest["blocks"][name] = _signature(name, scripted)
        print(f"{path} ({os.path.getsize(path)} bytes)")
    path = os.path.normpath(os.path.join(OUT, "manifest.json"))
    _write(path, (json.dumps(manifest, indent=1) + "\n").encode("utf-8"))
    print(path)


if __name__ == "__main__":
    main()
