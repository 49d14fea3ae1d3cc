#!/usr/bin/env bash
# Trained-embedder speed, this engine against sentence-transformers, in one run on the same synthetic
# Qwen3-Embedding-0.6B-shaped model, the same sentences and the same thread count.
#
#   tp-bench/scripts/embedder_speed.sh MODEL_DIR [SENTENCES] [THREADS] [SHAPE] [WEIGHTS]
#
# MODEL_DIR     where the synthetic folders live (written by st_speed.py write on the first run: MODEL_DIR/lasttoken
#               and MODEL_DIR/mean, about 1.2 GB in bfloat16; both halves compute in float32)
# SENTENCES     how many lines of tp-bench's STS-B sentence file to embed as queries and as documents (default 64)
# THREADS       torch.set_num_threads for sentence-transformers, --threads for tp (default: all cores)
# SHAPE         qwen3-embedding-0.6b (default) or tiny (a 2-layer model, to check the script quickly)
# WEIGHTS       fp32 (default) or int8: int8 runs sentence-transformers after torch.ao.quantization.quantize_dynamic
#               (int8 nn.Linear) against tp's --weights-dtype int8; both compute the rest in float32, and the script
#               also prints, per engine, the cosine between its int8 and its float32 embeddings of the documents
#
# Needs: python3 with torch, transformers 5.x and sentence-transformers (PYTHON=... to pick one), java 17 and
# tp-cli/target/tp.jar (mvn -B -pl tp-cli -am package -DskipTests). Both halves time one warm-up pass, then 3 timed
# passes over all SENTENCES, and report the median pass's sentences/s: sentence-transformers' encode() with
# prompt_name="query" for the queries and no prompt for the documents (batch 32); `tp bench --prompt-names
# query,document` for tp (model load and JVM start are not timed on either side). Ratio = tp / ST sentences/s.
set -euo pipefail
cd "$(dirname "$0")/../.."

model_dir=${1:?usage: embedder_speed.sh MODEL_DIR [SENTENCES] [THREADS] [SHAPE] [WEIGHTS]}
count=${2:-64}
threads=${3:-$(nproc)}
shape=${4:-qwen3-embedding-0.6b}
weights=${5:-fp32}
python=${PYTHON:-python3}
jar=tp-cli/target/tp.jar
source_file=tp-bench/src/main/resources/io/github/tokenprepending/bench/stsb-test-sentence-a-512.txt

case "$weights" in
    fp32) st_weights=() ;;
    int8) st_weights=(--int8) ;;
    *) echo "WEIGHTS must be fp32 or int8, got '$weights'" >&2; exit 2 ;;
esac
if [ ! -f "$jar" ]; then
    echo "$jar is missing: build it with mvn -B -pl tp-cli -am package -DskipTests" >&2
    exit 2
fi
if [ ! -f "$model_dir/lasttoken/model.safetensors" ]; then
    "$python" tp-bench/scripts/st_speed.py write "$model_dir" --shape "$shape"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -n "$count" "$source_file" > "$work/sentences.txt"
if [ "$(wc -l < "$work/sentences.txt")" -lt "$count" ]; then
    echo "$source_file has fewer than $count lines" >&2
    exit 2
fi

for pooling in lasttoken mean; do
    "$python" tp-bench/scripts/st_speed.py time --model "$model_dir/$pooling" --queries "$work/sentences.txt" \
        --documents "$work/sentences.txt" --threads "$threads" "${st_weights[@]}" --tsv "$work/st.tsv"
    java -jar "$jar" bench --model "$model_dir/$pooling" --prompt-names query,document --sentences \
        "$work/sentences.txt" --count "$count" --passes 3 --threads "$threads" --weights-dtype "$weights" \
        --dtype fp32 --json > "$work/tp-$pooling.json"
    if [ "$weights" = int8 ]; then
        for w in fp32 int8; do
            java -jar "$jar" embed --model "$model_dir/$pooling" --threads "$threads" --weights-dtype "$w" \
                --dtype fp32 -o "$work/tp-$pooling-$w.npy" "$work/sentences.txt" 2> /dev/null
        done
        echo "# tp ($pooling pooling, documents): $("$python" tp-bench/scripts/st_speed.py cosine \
            "$work/tp-$pooling-fp32.npy" "$work/tp-$pooling-int8.npy")"
    fi
done

printf '\n%-10s %-10s %-8s %9s %14s %14s %7s\n' rows pooling prompt sentences 'ST sent/s' 'tp sent/s' ratio
while IFS=$'\t' read -r kind pooling prompt n _ st_rate; do
    name=$prompt
    [ "$prompt" = "-" ] && name=document
    tp_rate=$("$python" -c 'import json, sys
rows = json.load(open(sys.argv[1]))["results"]
print(next(r["sentencesPerSecond"] for r in rows if r["method"] == sys.argv[2]))' "$work/tp-$pooling.json" "$name")
    printf '%-10s %-10s %-8s %9d %14.2f %14.2f %7.2f\n' "$kind" "$pooling" "$name" "$n" "$st_rate" "$tp_rate" \
        "$(awk -v t="$tp_rate" -v s="$st_rate" 'BEGIN { print t / s }')"
done < "$work/st.tsv"
echo "# weights $weights (compute float32), $threads threads, median of 3 timed passes after a warm-up;" \
    "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'avx|avx2|fma|f16c|avx512f|avx512bw|avx512vl|avx512_vnni|avx512_bf16|avx_vnni|amx_tile|amx_bf16|amx_int8' | tr '\n' ' ')"
