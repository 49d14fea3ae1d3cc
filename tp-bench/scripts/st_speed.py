#!/usr/bin/env python3
"""The sentence-transformers half of the trained-embedder speed comparison (embedder_speed.sh runs both halves).

`write OUT` writes two sentence-transformers folders with the same random weights, shaped like Qwen3-Embedding-0.6B
(hidden 1024, 28 layers, 16 query heads, 8 key/value heads, head_dim 128, intermediate 3072, vocab 151669, tied
embeddings) in the qwen3-embedding layout of tp-djl/src/test/resources/st-models (the Qwen3 tokenizer with EOS
appended by its post-processor, left padding, the instruction prompt for queries, Normalize):
OUT/lasttoken (last-token pooling, as the published model) and OUT/mean (mean pooling; its model.safetensors is a
hard link to lasttoken's). Weights are stored in bfloat16, as the published checkpoint is; both halves load them in
float32. `--shape tiny` writes a 2-layer hidden-64 model of the same layout for a quick check of the script.

`time --model DIR --queries FILE --documents FILE --threads N` loads DIR in float32 with torch.set_num_threads(N)
(with --int8: then replaces every nn.Linear by torch's dynamic int8 one, `torch.ao.quantization.quantize_dynamic`,
per-tensor-quantized activations and int8 weights through FBGEMM on x86, as a CPU user would, and prints the cosine
between the documents' int8 and float32 embeddings) and times `SentenceTransformer.encode` on the queries
(prompt_name="query") and the documents (no prompt), one sentence per line: one warm-up pass, then --passes timed
ones (default 3); it prints the median pass's sentences/s per row, the CPU and its flags, and with --tsv FILE appends
the rows there for the driver. `cosine A.npy B.npy` prints the cosine between the rows of two embedding files.

    python tp-bench/scripts/st_speed.py write MODEL_DIR
    python tp-bench/scripts/st_speed.py time --model MODEL_DIR/lasttoken --queries Q.txt --documents D.txt --threads 2
"""
import argparse
import gzip
import os
import platform
import shutil
import sys
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
LAYOUT = os.path.join(ROOT, "tp-djl", "src", "test", "resources", "st-models", "qwen3-embedding")
QUERY = "Instruct: Given a web search query, retrieve relevant passages that answer the query\nQuery:"

SHAPES = {
    "qwen3-embedding-0.6b": dict(hidden_size=1024, num_hidden_layers=28, num_attention_heads=16, num_key_value_heads=8,
                                 head_dim=128, intermediate_size=3072),
    "tiny": dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2, head_dim=16,
                 intermediate_size=128),
}
FLAGS = ("avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx_vnni",
         "amx_tile", "amx_bf16", "amx_int8")


def write_json(path, obj):
    import json
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")


def st_files(out, hidden, pooling):
    os.makedirs(os.path.join(out, "1_Pooling"), exist_ok=True)
    write_json(os.path.join(out, "modules.json"), [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}])
    write_json(os.path.join(out, "1_Pooling", "config.json"), {
        "word_embedding_dimension": hidden, "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": pooling == "mean", "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False, "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": pooling == "lasttoken", "include_prompt": True})
    write_json(os.path.join(out, "sentence_bert_config.json"), {"max_seq_length": 8192, "do_lower_case": False})
    write_json(os.path.join(out, "config_sentence_transformers.json"), {
        "prompts": {"query": QUERY, "document": ""}, "default_prompt_name": None, "similarity_fn_name": "cosine"})
    with gzip.open(os.path.join(LAYOUT, "tokenizer.json.gz"), "rb") as f, \
            open(os.path.join(out, "tokenizer.json"), "wb") as g:
        shutil.copyfileobj(f, g)
    shutil.copy(os.path.join(LAYOUT, "tokenizer_config.json"), out)


def write(args):
    import torch
    import transformers
    torch.manual_seed(2205)
    config = transformers.Qwen3Config(
        vocab_size=151669, max_position_embeddings=32768, rope_theta=1000000.0, rms_norm_eps=1e-6,
        tie_word_embeddings=True, bos_token_id=151643, eos_token_id=151643, **SHAPES[args.shape])
    last, mean = os.path.join(args.out, "lasttoken"), os.path.join(args.out, "mean")
    model = transformers.Qwen3Model(config).to(torch.bfloat16)
    model.config.architectures = ["Qwen3Model"]
    model.save_pretrained(last)
    del model
    st_files(last, config.hidden_size, "lasttoken")
    st_files(mean, config.hidden_size, "mean")
    shutil.copy(os.path.join(last, "config.json"), mean)
    target = os.path.join(mean, "model.safetensors")
    if os.path.exists(target):
        os.remove(target)
    try:
        os.link(os.path.join(last, "model.safetensors"), target)
    except OSError:
        shutil.copy(os.path.join(last, "model.safetensors"), target)
    print(f"wrote {last} and {mean} ({args.shape}, bfloat16 weights)")


def cpu():
    model, flags = platform.processor() or "?", set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name") and model in ("?", platform.processor()):
                    model = line.split(":", 1)[1].strip()
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return model, [f for f in FLAGS if f in flags]


def lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def cosines(a, b):
    import numpy as np
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    c = (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return f"cosine int8 vs float32 embeddings: mean {c.mean():.5f}, min {c.min():.5f} over {len(c)} sentences"


def time_rows(args):
    import torch
    from sentence_transformers import SentenceTransformer
    torch.set_num_threads(args.threads)
    model = SentenceTransformer(args.model, device="cpu", model_kwargs={"dtype": torch.float32})
    pooling = model[1].pooling_mode
    reference = None
    if args.int8:
        reference = model.encode(lines(args.documents), batch_size=args.batch_size)
        model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    rows = []
    for kind, path, prompt_name in (("queries", args.queries, "query"), ("documents", args.documents, None)):
        texts = lines(path)
        rates = []
        with torch.inference_mode():
            model.encode(texts, prompt_name=prompt_name, batch_size=args.batch_size)
            for _ in range(args.passes):
                start = time.perf_counter()
                model.encode(texts, prompt_name=prompt_name, batch_size=args.batch_size)
                rates.append(len(texts) / (time.perf_counter() - start))
        rate = sorted(rates)[len(rates) // 2]
        rows.append((kind, pooling, prompt_name or "-", len(texts), len(texts) / rate, rate))
    name, flags = cpu()
    print(f"# sentence-transformers {__import__('sentence_transformers').__version__}, torch {torch.__version__}, "
          f"{'int8 Linear (quantize_dynamic)' if args.int8 else 'float32'}, {args.threads} threads, "
          f"batch {args.batch_size}, median of {args.passes} timed passes after a warm-up")
    print(f"# CPU: {name}, {os.cpu_count()} logical cores, flags: {' '.join(flags)}")
    if reference is not None:
        print(f"# sentence-transformers ({pooling} pooling, documents): "
              f"{cosines(reference, model.encode(lines(args.documents), batch_size=args.batch_size))}")
    print(f"{'rows':<10} {'pooling':<10} {'prompt':<7} {'sentences':>9} {'seconds':>9} {'sentences/s':>12}")
    for kind, pool, prompt, n, seconds, rate in rows:
        print(f"{kind:<10} {pool:<10} {prompt:<7} {n:>9} {seconds:>9.2f} {rate:>12.2f}")
    if args.tsv:
        with open(args.tsv, "a", encoding="utf-8") as f:
            for kind, pool, prompt, n, seconds, rate in rows:
                f.write(f"{kind}\t{pool}\t{prompt}\t{n}\t{seconds:.4f}\t{rate:.4f}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write", help="write the synthetic folders OUT/lasttoken and OUT/mean")
    w.add_argument("out")
    w.add_argument("--shape", choices=sorted(SHAPES), default="qwen3-embedding-0.6b")
    t = sub.add_parser("time", help="time SentenceTransformer.encode on queries and documents")
    t.add_argument("--model", required=True)
    t.add_argument("--queries", required=True)
    t.add_argument("--documents", required=True)
    t.add_argument("--threads", type=int, required=True)
    t.add_argument("--batch-size", type=int, default=32)
    t.add_argument("--int8", action="store_true", help="torch.ao.quantization.quantize_dynamic on every nn.Linear")
    t.add_argument("--passes", type=int, default=3, help="timed passes after the warm-up; the median is reported")
    t.add_argument("--tsv", help="append the rows (kind, pooling, prompt, n, seconds of the median pass, sentences/s)"
                   " to this file")
    c = sub.add_parser("cosine", help="cosine between the rows of two .npy files (tp embed -o FILE.npy)")
    c.add_argument("float32")
    c.add_argument("int8")
    args = parser.parse_args()
    if args.command == "write":
        write(args)
    elif args.command == "cosine":
        import numpy as np
        print(cosines(np.load(args.float32), np.load(args.int8)))
    else:
        time_rows(args)


if __name__ == "__main__":
    sys.exit(main())
