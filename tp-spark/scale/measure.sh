#!/usr/bin/env bash
# Throughput of the Spark job (local[1], local[2]) against plain `tp embed` on the same 10,000 lines with the
# benchmark's synthetic model (docs/scale.md). Run from the repository root after
#   mvn -B -q -pl tp-cli,tp-spark -am package -Pjob -DskipTests
# Needs Python with torch, transformers and safetensors for the checkpoint (PYTHON, default python3), and jq.
# THREADS: libtorch threads of every run (default 1: on a shared machine, spinning OpenMP threads distort timings).
set -euo pipefail
WORK=${WORK:-/tmp/tp-spark-scale}
PYTHON=${PYTHON:-python3}
THREADS=${THREADS:-1}
mkdir -p "$WORK"
# 10,000 lines: both sentences of every STS12-16 pair bundled with tp-core's tests, in file order
zcat tp-core/src/test/resources/sts/*/STS.input.*.txt.gz | cut -f1,2 | tr '\t' '\n' | awk 'NR <= 10000' > "$WORK/corpus.txt"
jq -R -c '{id: input_line_number, text: .}' "$WORK/corpus.txt" > "$WORK/corpus.jsonl"
[ -f "$WORK/synthetic/model.safetensors" ] || "$PYTHON" tp-spark/scale/synthetic_checkpoint.py "$WORK/synthetic"
MODEL=(--model "$WORK/synthetic" --offline --threads "$THREADS")
TIMEFORMAT='%R s wall, %U s user, %S s sys'
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo -n "tp embed: "
{ time java -jar tp-cli/target/tp.jar embed "${MODEL[@]}" "$WORK/corpus.txt" -o "$WORK/plain.jsonl" \
    > "$WORK/plain.log" 2>&1; } 2>&1
for master in 'local[1]' 'local[2]'; do
  rm -rf "$WORK/out.parquet"
  echo -n "spark $master: "
  { time java -jar tp-spark/target/tp-spark-local.jar --master "$master" --input "$WORK/corpus.jsonl" \
      --id-column id --output "$WORK/out.parquet" "${MODEL[@]}" > "$WORK/spark.log" 2>&1; } 2>&1
  grep 'rows embedded' "$WORK/spark.log"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
