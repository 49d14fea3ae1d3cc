#!/usr/bin/env bash
# Trained-embedder speed, this engine against sentence-transformers, in one run on the same synthetic
# Qwen3-Embedding-0.6B-shaped model, the same sentences and the same thread count.
#
#   tp-bench/scripts/embedder_speed.sh MODEL_DIR [SENTENCES] [THREADS] [SHAPE]
#
# MODEL_DIR     where the synthetic folders live (written by st_speed.py write on the first run: MODEL_DIR/lasttoken
#               and MODEL_DIR/mean, about 1.2 GB in bfloat16; both halves compute in float32)
# SENTENCES     how many lines of tp-bench's STS-B sentence file to embed as queries and as documents (default 64)
# THREADS       torch.set_num_threads for sentence-transformers, --threads for tp (default: all cores)
# SHAPE         qwen3-embedding-0.6b (default) or tiny (a 2-layer model, to check the script quickly)
#
# Needs: python3 with torch, transformers 5.x and sentence-transformers (PYTHON=... to pick one), java 17 and
# tp-cli/target/tp.jar (mvn -B -pl tp-cli -am package -DskipTests). The tp rows time `tp embed` twice per row, on all
# SENTENCES and on the first WARMUP of them, and divide the extra sentences by the extra seconds: JVM start and model
# load cancel out. The sentence-transformers rows time encode() after one warm-up batch. Ratio = tp / ST sentences/s.
set -euo pipefail
cd "$(dirname "$0")/../.."

model_dir=${1:?usage: embedder_speed.sh MODEL_DIR [SENTENCES] [THREADS] [SHAPE]}
count=${2:-64}
threads=${3:-$(nproc)}
shape=${4:-qwen3-embedding-0.6b}
python=${PYTHON:-python3}
jar=tp-cli/target/tp.jar
warmup=8
source_file=tp-bench/src/main/resources/io/github/tokenprepending/bench/stsb-test-sentence-a-512.txt

if [ "$count" -le "$warmup" ]; then
    echo "SENTENCES must be more than $warmup" >&2
    exit 2
fi
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
head -n "$warmup" "$source_file" > "$work/warmup.txt"
if [ "$(wc -l < "$work/sentences.txt")" -lt "$count" ]; then
    echo "$source_file has fewer than $count lines" >&2
    exit 2
fi

for pooling in lasttoken mean; do
    "$python" tp-bench/scripts/st_speed.py time --model "$model_dir/$pooling" --queries "$work/sentences.txt" \
        --documents "$work/sentences.txt" --threads "$threads" --tsv "$work/st.tsv"
done

seconds() { # seconds for one `tp embed` run: seconds MODEL FILE [PROMPT-NAME]
    local start end prompt=()
    [ -n "${3:-}" ] && prompt=(--prompt-name "$3")
    start=$(date +%s.%N)
    java -jar "$jar" embed --model "$1" "${prompt[@]}" --threads "$threads" "$2" > /dev/null
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN { print e - s }'
}

printf '\n%-10s %-10s %-7s %9s %14s %14s %7s\n' rows pooling prompt sentences 'ST sent/s' 'tp sent/s' ratio
while IFS=$'\t' read -r kind pooling prompt n _ st_rate; do
    name=""
    [ "$prompt" != "-" ] && name=$prompt
    full=$(seconds "$model_dir/$pooling" "$work/sentences.txt" "$name")
    short=$(seconds "$model_dir/$pooling" "$work/warmup.txt" "$name")
    tp_rate=$(awk -v n=$((count - warmup)) -v f="$full" -v s="$short" 'BEGIN { print n / (f - s) }')
    printf '%-10s %-10s %-7s %9d %14.2f %14.2f %7.2f\n' "$kind" "$pooling" "$prompt" "$n" "$st_rate" "$tp_rate" \
        "$(awk -v t="$tp_rate" -v s="$st_rate" 'BEGIN { print t / s }')"
done < "$work/st.tsv"
echo "# $threads threads; CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
echo "# flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'avx|avx2|fma|f16c|avx512f|avx512bw|avx512vl|avx512_vnni|avx512_bf16|avx_vnni|amx_tile|amx_bf16|amx_int8' | tr '\n' ' ')"
