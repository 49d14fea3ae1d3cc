"""Exports the TorchScript blocks of tp-djl.

Run from the repository root with a PyTorch that DJL 0.35 can load (Debian's python3-torch 1.13 works):

    /usr/bin/python3 tp-djl/src/main/python/export_blocks.py

It writes tp-djl/src/main/resources/io/github/tokenprepending/djl/blocks/*.pt (a few kB each, no weights).
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tp_blocks import BLOCKS  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "io", "github",
                   "tokenprepending", "djl", "blocks")


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    for name, block in BLOCKS.items():
        scripted = torch.jit.script(block())
        path = os.path.normpath(os.path.join(OUT, name))
        tmp = path + ".tmp"
        scripted.save(tmp)
        os.replace(tmp, path)
        print(f"{path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
