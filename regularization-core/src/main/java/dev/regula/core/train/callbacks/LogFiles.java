package dev.regula.core.train.callbacks;

import dev.regula.core.io.AtomicFiles;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/** File handling the line loggers share: opening without following links, trimming a resumed log, CSV cells. */
final class LogFiles {
    /** What {@code epochOf} returns for a line that names no epoch: it is kept. */
    static final int NO_EPOCH = Integer.MIN_VALUE;

    private LogFiles() {
    }

    /**
     * Opens a log for writing, never through a symbolic link.
     *
     * @param file the log
     * @param append whether to add to it (else it is emptied)
     * @return a writer
     * @throws IOException if it cannot be opened, or is a symbolic link
     */
    static Writer open(Path file, boolean append) throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Drops the lines of epochs after {@code lastEpoch} and a last line without its newline: a run
     * killed after logging an epoch but before saving its checkpoint (or in the middle of a line)
     * would otherwise repeat that epoch, or glue two lines, when resumed. Lines that name no epoch
     * are kept. Rewritten through a temporary file and an atomic rename, only if something is dropped.
     *
     * @param file the log (nothing happens if it does not exist)
     * @param lastEpoch the last epoch to keep
     * @param epochOf a line's epoch, or {@link #NO_EPOCH}
     * @throws IOException if it cannot be read or rewritten
     */
    static void keepEpochsUpTo(Path file, int lastEpoch, ToIntFunction<String> epochOf) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return;
        String text = Files.readString(file, StandardCharsets.UTF_8);
        StringBuilder kept = new StringBuilder(text.length());
        int start = 0;
        for (int nl; (nl = text.indexOf('\n', start)) >= 0; start = nl + 1) {
            String line = text.substring(start, nl);
            int epoch = epochOf.applyAsInt(line);
            if (epoch == NO_EPOCH || epoch <= lastEpoch) kept.append(line).append('\n');
        }
        if (kept.length() == text.length()) return;
        AtomicFiles.writeString(file, kept);
    }

    /**
     * @param s a whole number's text
     * @return it, or {@link #NO_EPOCH} if it is not one
     */
    static int epochNumber(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return NO_EPOCH;
        }
    }

    /**
     * Splits one CSV line into cells, undoing the quoting of {@link #cell}.
     *
     * @param line a line without its newline
     * @return its cells
     */
    static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        out.add(cell.toString());
        return out;
    }

    /**
     * @param s a cell's text
     * @return it, quoted when it holds a comma, a quote or a line break
     */
    static String cell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
