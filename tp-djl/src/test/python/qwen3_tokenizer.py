#!/usr/bin/env python3
"""Builds the Qwen3 test tokenizer and its expected prompt ids with the real tokenizers/transformers libraries.

No Qwen3 tokenizer file is in the repository and none can be downloaded here, so this builds one: Qwen3's
tokenizer.json is Qwen2's byte-level BPE (tokenizers/qwen2/, the Qwen2.5 files) plus four added tokens that
Qwen3's published tokenizer_config.json lists after Qwen2.5's 151643..151664: 151665 <tool_response>,
151666 </tool_response>, 151667 <think>, 151668 </think> (all "special": false). With <PST> added as evaluate.py
does (tokenizer.add_tokens(['<PST>'])), <PST> is 151669. The expected ids are the library's encodings of the same
rows as qwen2's expected_prompt_ids.jsonl / expected_prompt_batches.json (tp rows with <PST> added, vanilla rows
without), so PromptIdsParityTest checks Qwen3 exactly like the other families.

    cd tp-djl/src/test/resources/tokenizers && /path/to/venv/bin/python ../../python/qwen3_tokenizer.py
"""
import copy
import gzip
import json
import os
import tempfile

import transformers
from transformers import AutoTokenizer

QWEN3_ADDED = [(151665, "<tool_response>"), (151666, "</tool_response>"), (151667, "<think>"), (151668, "</think>")]


def gz_json(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def write_gz(path, text):
    with gzip.GzipFile(path, "wb", mtime=0, compresslevel=9) as f:
        f.write(text.encode("utf-8"))


def build(out):
    tok = gz_json("qwen2/tokenizer.json.gz")
    config = json.load(open("qwen2/tokenizer_config.json"))
    ids = {t["id"] for t in tok["added_tokens"]}
    assert max(ids) == 151664, max(ids)
    for i, content in QWEN3_ADDED:
        tok["added_tokens"].append({"id": i, "content": content, "single_word": False, "lstrip": False,
                                    "rstrip": False, "normalized": False, "special": False})
        config["added_tokens_decoder"][str(i)] = {"content": content, "lstrip": False, "normalized": False,
                                                  "rstrip": False, "single_word": False, "special": False}
    config["model_max_length"] = 131072
    config["eos_token"] = "<|im_end|>"
    os.makedirs(out, exist_ok=True)
    write_gz(os.path.join(out, "tokenizer.json.gz"), json.dumps(tok, ensure_ascii=False))
    with open(os.path.join(out, "tokenizer_config.json"), "w") as f:
        json.dump(config, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return tok, config


def load(tok, config, with_pst):
    d = tempfile.mkdtemp()
    json.dump(tok, open(os.path.join(d, "tokenizer.json"), "w"), ensure_ascii=False)
    json.dump(config, open(os.path.join(d, "tokenizer_config.json"), "w"), ensure_ascii=False)
    t = AutoTokenizer.from_pretrained(d)
    if with_pst:
        t.add_tokens(["<PST>"])
    return t


def main():
    tok, config = build("qwen3")
    plain = load(tok, config, False)
    tp = load(tok, config, True)
    pst = tp.convert_tokens_to_ids("<PST>")
    assert pst == 151669, pst
    assert [plain.convert_tokens_to_ids(c) for _, c in QWEN3_ADDED] == [i for i, _ in QWEN3_ADDED]
    lines = []
    with gzip.open("qwen2/expected_prompt_ids.jsonl.gz", "rt", encoding="utf-8") as f:
        for raw in f:
            line = json.loads(raw)
            line["family"] = "qwen3"
            t = tp if line["variant"] == "tp" else plain
            ids = t(line["prompt_text"])["input_ids"]
            line["input_ids"] = ids
            if line["variant"] == "tp":
                line["pst_id"] = pst
                line["pst_index"] = ids.index(pst)
                line["pst_count"] = ids.count(pst)
            lines.append(json.dumps(line, ensure_ascii=False, separators=(",", ":")))
    write_gz("qwen3/expected_prompt_ids.jsonl.gz", "\n".join(lines) + "\n")
    batches = gz_json("qwen2/expected_prompt_batches.json.gz")
    batches["family"] = "qwen3"
    batches["pst_id"] = pst
    batches["note"] = (f"transformers {transformers.__version__} tokenizer(texts, padding=True) with pad id 0 and left "
                       "padding, on the rows of qwen2's file; see ../../python/qwen3_tokenizer.py")
    for b in batches["batches"]:
        t = copy.copy(tp if b["variant"] == "tp" else plain)
        t.pad_token_id = 0
        t.padding_side = "left"
        enc = t(b["prompt_texts"], padding=True)
        b["input_ids"] = enc["input_ids"]
        b["attention_mask"] = enc["attention_mask"]
    write_gz("qwen3/expected_prompt_batches.json.gz", json.dumps(batches, ensure_ascii=False))
    print(f"qwen3: {len(lines)} lines, {len(batches['batches'])} batches, <PST> {pst}, transformers "
          f"{transformers.__version__}")


if __name__ == "__main__":
    main()
