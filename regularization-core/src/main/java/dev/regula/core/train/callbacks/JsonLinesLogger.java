package dev.regula.core.train.callbacks;

import dev.regula.core.io.JsonText;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.TrainingCallback;
import dev.regula.core.train.TrainingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes one JSON object per epoch and line ({@code metrics.jsonl}), flushed after every line:
 * the metrics of {@link CsvLogger} under the same names, NaN as {@code null}. The file is replaced
 * at the start of the fit unless {@code append} is set (a resumed run).
 */
public final class JsonLinesLogger implements TrainingCallback {
    private final Path file;
    private final boolean append;
    private Writer out;

    /**
     * @param file the file; its directory must exist
     * @param append whether to add to an existing file
     */
    public JsonLinesLogger(Path file, boolean append) {
        this.file = Objects.requireNonNull(file, "file");
        this.append = append;
    }

    @Override
    public void onTrainBegin(TrainingContext ctx) {
        try {
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the metrics log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, EpochMetrics m) {
        Map<String, Object> line = new LinkedHashMap<>();
        EpochRecord.of(ctx, m).forEach((k, v) -> line.put(k, k.equals("epoch") || k.equals("step") || k.equals("skipped_steps")
                ? (Object) v.longValue() : (Object) v));
        try {
            out.write(JsonText.write(line));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the metrics log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onTrainEnd(TrainingContext ctx, List<EpochMetrics> history) {
        try {
            if (out != null) out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the metrics log " + file + ": " + e.getMessage(), e);
        } finally {
            out = null;
        }
    }
}
