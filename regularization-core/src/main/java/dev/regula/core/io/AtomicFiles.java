package dev.regula.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes output files (reports, charts, image grids, metrics) so that a reader, or a process
 * killed mid-write, sees either the previous file or the complete new one, never a torn one.
 *
 * <p>The content goes to a new temporary file beside the target, named
 * {@code .<name>.<nanos>.tmp} and created with {@code CREATE_NEW} (so it keeps the umask's
 * permissions, unlike {@link Files#createTempFile}'s 0600, and never clobbers another writer's
 * temporary file), which is then renamed over the target with {@code ATOMIC_MOVE}. On any failure
 * the temporary file is deleted and the target is unchanged. Parent folders are created.
 * Checkpoints use {@link dev.regula.core.checkpoint.Safetensors}, which also syncs to disk and
 * cleans up after killed writers.
 */
public final class AtomicFiles {
    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Content {
        /**
         * @param out the stream of the temporary file; closed by the caller
         * @throws IOException to abandon the write (the target stays unchanged)
         */
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * @param target the file to create or replace
     * @param content writes the new content
     * @throws IOException if writing fails or the file system cannot rename atomically; the
     *     target is then unchanged
     */
    public static void write(Path target, Content content) throws IOException {
        Objects.requireNonNull(content, "content");
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        OutputStream stream = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        boolean moved = false; // from here on tmp is ours to delete
        try {
            try (OutputStream out = stream) {
                content.writeTo(out);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + file + " atomically on this file system", e);
            }
            moved = true;
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is more useful than this one
                }
            }
        }
    }

    /**
     * @param target the file to create or replace
     * @param text its new content, written as UTF-8
     * @throws IOException as {@link #write(Path, Content)}
     */
    public static void writeString(Path target, CharSequence text) throws IOException {
        Objects.requireNonNull(text, "text");
        write(target, out -> out.write(text.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
