/**
 * Pure-Java access to HuggingFace checkpoints: safetensors files (single or sharded, memory-mapped, validated
 * before anything large is allocated) and {@code config.json}. Every problem with a file is reported as a
 * {@link io.github.tokenprepending.djl.checkpoint.CheckpointException} naming the file.
 */
package io.github.tokenprepending.djl.checkpoint;
