/**
 * Safetensors files (a JSON header and little-endian tensors) and model checkpoints on them,
 * readable as PyTorch state dicts. Contract: writes are atomic (temporary file and rename), so a
 * crash leaves the previous file whole; reading checks sizes and offsets before allocating, and a
 * malformed file is a {@link dev.regula.api.CorruptDataException} naming the file. Whole-run
 * state for exact resume is {@code dev.regula.core.train.TrainingCheckpoint}.
 */
package dev.regula.core.checkpoint;
