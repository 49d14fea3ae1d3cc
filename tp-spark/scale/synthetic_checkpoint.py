"""Writes the benchmark's synthetic model as a checkpoint directory, so that jobs that load models by path
(the Spark job, `tp embed --model DIR`) can run it: a seeded random-weight Llama of the `tp bench --synthetic`
spec below with the bundled Llama-2 tokenizer (<PST> = 32000). Weights are random: for speed, not quality.

    /work/venv/bin/python tp-spark/scale/synthetic_checkpoint.py OUT_DIR   (needs torch, transformers, safetensors)
"""
import gzip
import pathlib
import shutil
import sys

import torch
from transformers import LlamaConfig, LlamaForCausalLM

BENCH = pathlib.Path(__file__).resolve().parents[2] / "tp-bench/src/main/resources/io/github/tokenprepending/bench"


def main(out: str) -> None:
    target = pathlib.Path(out)
    target.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(1234)
    # the spec of docs/performance.md: llama:hidden=512,layers=8,heads=8,kv-heads=8,intermediate=1376,vocab=32001
    config = LlamaConfig(hidden_size=512, num_hidden_layers=8, num_attention_heads=8, num_key_value_heads=8,
                         intermediate_size=1376, vocab_size=32001, max_position_embeddings=4096,
                         tie_word_embeddings=False, torch_dtype="float32")
    LlamaForCausalLM(config).save_pretrained(target, safe_serialization=True)
    with gzip.open(BENCH / "llama2-tokenizer.json.gz", "rb") as src, open(target / "tokenizer.json", "wb") as dst:
        shutil.copyfileobj(src, dst)
    shutil.copy(BENCH / "llama2-tokenizer_config.json", target / "tokenizer_config.json")
    print(target)


if __name__ == "__main__":
    main(sys.argv[1])
