package dev.regula.gan.train;

import dev.regula.api.CorruptDataException;
import dev.regula.api.ShapeMismatchException;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.core.layer.Sequential;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Saves and restores a generator–discriminator pair as one safetensors checkpoint of core's
 * {@link Checkpoint} format: every parameter of G and D under its own name ({@code g_convt1.weight},
 * {@code d_conv1.weight}, ...) and the BatchNorm running statistics as extra state
 * ({@code <layer>.running_mean}, {@code <layer>.running_var}, PyTorch's names), so the file loads as a
 * PyTorch state dict. The layers' state comes through {@link dev.regula.api.model.Layer#state()}.
 * Optimizer moments are not stored: the checkpoint is for sampling and evaluation; to resume a run,
 * use {@link GanTrainer#saveState} (core's {@link dev.regula.core.train.TrainingCheckpoint}).
 */
public final class GanCheckpoint {
    private GanCheckpoint() {
    }

    /**
     * Writes the checkpoint atomically.
     *
     * @param file the target file; its directory must exist
     * @param generator G
     * @param discriminator D (parameter names distinct from G's)
     * @param metadata string metadata (e.g. the configuration), may be empty
     * @throws IOException if writing fails; a previous file is then unchanged
     */
    public static void save(Path file, Sequential generator, ProjectionDiscriminator discriminator, Map<String, String> metadata)
            throws IOException {
        List<Parameter> params = new ArrayList<>(generator.parameters());
        params.addAll(discriminator.parameters());
        Map<String, Tensor> extra = new LinkedHashMap<>(generator.state());
        extra.putAll(discriminator.state());
        Checkpoint.save(file, params, extra, metadata);
    }

    /**
     * Restores parameters and running statistics saved by {@link #save}. All-or-nothing for the
     * parameters (see {@link Checkpoint#restoreInto}); the running statistics are checked before
     * they are copied.
     *
     * @param file the checkpoint
     * @param generator G, with the architecture that was saved
     * @param discriminator D, likewise
     * @return the checkpoint's metadata
     * @throws IOException if the file cannot be read
     * @throws CorruptDataException if names are missing or unexpected
     * @throws ShapeMismatchException if a stored shape differs
     */
    public static Map<String, String> restore(Path file, Sequential generator, ProjectionDiscriminator discriminator)
            throws IOException {
        Objects.requireNonNull(file, "file");
        Checkpoint cp = Checkpoint.load(file);
        Map<String, Tensor> extra = cp.extraState();
        List<Tensor[]> copies = new ArrayList<>();
        Map<String, Tensor> state = new LinkedHashMap<>(generator.state());
        state.putAll(discriminator.state());
        for (Map.Entry<String, Tensor> e : state.entrySet()) copies.add(pair(file, extra, e.getKey(), e.getValue()));
        List<Parameter> params = new ArrayList<>(generator.parameters());
        params.addAll(discriminator.parameters());
        cp.restoreInto(params);
        for (Tensor[] c : copies) c[1].copyFrom(c[0]);
        return cp.metadata();
    }

    private static Tensor[] pair(Path file, Map<String, Tensor> extra, String name, Tensor target) throws CorruptDataException {
        Tensor stored = extra.get(name);
        if (stored == null) {
            throw new CorruptDataException(file + ": no extra state '" + name
                    + "' (layer state such as BatchNorm running statistics); was it saved by GanCheckpoint with this architecture?");
        }
        target.requireSameShape(stored, file + ": " + name);
        return new Tensor[] {stored, target};
    }
}
