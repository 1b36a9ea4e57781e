package dev.regula.core.checkpoint;

import dev.regula.api.CorruptDataException;
import dev.regula.api.ShapeMismatchException;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.io.JsonText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A model checkpoint: the parameters by name, optional extra state (optimizer moments, regularizer
 * anchors, ...), optional exact float64 state ({@link Float64Tensor}, stored as {@code F64}: what
 * must not be rounded to float32) and string metadata, stored as one {@link Safetensors} file.
 *
 * <p>Parameters are stored under their own names ({@code dense1.weight}), so the file loads
 * directly as a PyTorch state dict. Which tensors are extra state is recorded in the metadata
 * entry {@value #EXTRA_STATE_KEY} (a JSON array of names, the float64 state's included); a file
 * without that entry, such as one written by PyTorch, is read as parameters only (float64 ones
 * rounded to float32). Saving is atomic (see {@link Safetensors#write}).
 *
 * <p>{@link #restoreInto(List)} is all-or-nothing: it checks every name and shape before it
 * copies anything.
 */
public final class Checkpoint {
    /** Metadata key listing the names of the extra-state tensors. */
    public static final String EXTRA_STATE_KEY = "regula.extra_state";

    /** Metadata key naming the checkpoint format version. */
    public static final String FORMAT_KEY = "regula.format";

    /** The format version written by this class. */
    public static final String FORMAT = "regula-checkpoint-1";

    private static final int LISTED = 10;

    private final Path source;
    private final Map<String, Tensor> parameters;
    private final Map<String, Tensor> extraState;
    private final Map<String, Float64Tensor> float64State;
    private final Map<String, String> metadata;

    private Checkpoint(Path source, Map<String, Tensor> parameters, Map<String, Tensor> extraState,
            Map<String, Float64Tensor> float64State, Map<String, String> metadata) {
        this.source = source;
        this.parameters = Collections.unmodifiableMap(parameters);
        this.extraState = Collections.unmodifiableMap(extraState);
        this.float64State = Collections.unmodifiableMap(float64State);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /**
     * Saves parameters, extra state and metadata atomically.
     *
     * @param file the target file; its directory must exist
     * @param params the parameters, with unique names
     * @param extraState more tensors to keep, with names distinct from the parameters' (may be empty)
     * @param metadata string metadata (may be empty); the keys {@value #EXTRA_STATE_KEY} and
     *     {@value #FORMAT_KEY} are reserved
     * @throws IllegalArgumentException if names collide or a reserved metadata key is used
     * @throws IOException if writing fails; the previous file is then unchanged
     */
    public static void save(Path file, List<Parameter> params, Map<String, Tensor> extraState,
            Map<String, String> metadata) throws IOException {
        save(file, params, extraState, Map.of(), metadata);
    }

    /**
     * Saves parameters, extra state, exact float64 state and metadata atomically.
     *
     * @param file the target file; its directory must exist
     * @param params the parameters, with unique names
     * @param extraState more tensors to keep, with names distinct from the parameters' (may be empty)
     * @param float64State values to keep exactly, with names distinct from all others (may be empty)
     * @param metadata string metadata (may be empty); the keys {@value #EXTRA_STATE_KEY} and
     *     {@value #FORMAT_KEY} are reserved
     * @throws IllegalArgumentException if names collide or a reserved metadata key is used
     * @throws IOException if writing fails; the previous file is then unchanged
     */
    public static void save(Path file, List<Parameter> params, Map<String, Tensor> extraState,
            Map<String, Float64Tensor> float64State, Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(extraState, "extraState");
        Objects.requireNonNull(float64State, "float64State");
        Objects.requireNonNull(metadata, "metadata");
        Map<String, Tensor> all = new TreeMap<>();
        for (Parameter p : params) {
            if (all.put(p.name(), p.value()) != null) {
                throw new IllegalArgumentException("two parameters are named '" + p.name() + "'; names must be unique");
            }
        }
        for (Map.Entry<String, Tensor> e : extraState.entrySet()) {
            if (all.containsKey(e.getKey())) {
                throw new IllegalArgumentException("extra state '" + e.getKey() + "' has the name of a parameter");
            }
            all.put(e.getKey(), e.getValue());
        }
        for (String name : float64State.keySet()) {
            if (all.containsKey(name)) {
                throw new IllegalArgumentException("float64 state '" + name + "' has the name of a parameter or of extra state");
            }
        }
        for (String reserved : List.of(EXTRA_STATE_KEY, FORMAT_KEY)) {
            if (metadata.containsKey(reserved)) {
                throw new IllegalArgumentException("metadata key '" + reserved + "' is reserved by Checkpoint");
            }
        }
        Map<String, String> meta = new TreeMap<>(metadata);
        meta.put(FORMAT_KEY, FORMAT);
        StringBuilder names = new StringBuilder("[");
        TreeMap<String, Object> listed = new TreeMap<>(extraState);
        listed.putAll(float64State);
        for (String name : listed.keySet()) {
            if (names.length() > 1) names.append(',');
            names.append(JsonText.quote(name));
        }
        meta.put(EXTRA_STATE_KEY, names.append(']').toString());
        Safetensors.write(file, all, float64State, meta);
    }

    /**
     * Loads a checkpoint written by {@link #save} or any safetensors file of parameters.
     *
     * @param file the file
     * @return the checkpoint
     * @throws dev.regula.core.data.DataNotFoundException if nothing exists at {@code file}
     * @throws CorruptDataException if the file is not valid safetensors (or a folder or special
     *     file), of another format version, holds a value that is NaN or infinite, or its
     *     extra-state list is malformed or names missing tensors
     * @throws IOException if the file cannot be read
     */
    public static Checkpoint load(Path file) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, Tensor> params = new TreeMap<>(c.tensors());
        Map<String, Tensor> extra = new TreeMap<>();
        Map<String, Float64Tensor> float64 = new TreeMap<>();
        Map<String, String> meta = new TreeMap<>(c.metadata());
        String format = meta.remove(FORMAT_KEY);
        if (format != null && !format.equals(FORMAT)) {
            throw new CorruptDataException(file + ": metadata " + FORMAT_KEY + "='" + format + "' is not a format this version reads ("
                    + FORMAT + "); a file of another (newer) version of Regula");
        }
        // (every float64 tensor is also among the tensors, narrowed: a NaN or infinity stays one, so one pass checks both)
        for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) requireFinite(file, e.getKey(), e.getValue().data());
        String list = meta.remove(EXTRA_STATE_KEY);
        if (list != null) {
            Object names;
            try {
                names = Json.parse(list);
            } catch (Json.JsonException e) {
                throw new CorruptDataException(file + ": metadata " + EXTRA_STATE_KEY + ": " + e.getMessage(), e);
            }
            if (!(names instanceof List<?> l)) {
                throw new CorruptDataException(file + ": metadata " + EXTRA_STATE_KEY + " must be a JSON array of names");
            }
            for (Object o : l) {
                if (!(o instanceof String name) || !params.containsKey(name)) {
                    throw new CorruptDataException(file + ": metadata " + EXTRA_STATE_KEY + " lists " + o
                            + ", which is not a tensor name in the file");
                }
                Tensor narrowed = params.remove(name);
                Float64Tensor exact = c.float64().get(name);
                if (exact != null) float64.put(name, exact);
                else extra.put(name, narrowed);
            }
        }
        return new Checkpoint(file, params, extra, float64, meta);
    }

    /** A weight or state that is NaN or infinite cannot come from a run (training stops first): the file is corrupt. */
    private static void requireFinite(Path file, String name, float[] values) throws CorruptDataException {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new CorruptDataException(file + ": tensor " + name + " holds " + values[i] + " at element " + i
                        + "; the values of a checkpoint are finite");
            }
        }
    }

    /** @return the parameter tensors by name, sorted, unmodifiable */
    public Map<String, Tensor> parameters() {
        return parameters;
    }

    /** @return the extra-state tensors by name, sorted, unmodifiable */
    public Map<String, Tensor> extraState() {
        return extraState;
    }

    /**
     * @return the extra state stored as {@code F64}, exactly, by name, sorted, unmodifiable (not in
     *     {@link #extraState()})
     */
    public Map<String, Float64Tensor> float64State() {
        return float64State;
    }

    /** @return the user metadata (without the reserved keys), sorted, unmodifiable */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Copies the stored values into the given parameters. Every parameter must be in the
     * checkpoint with the same shape and the checkpoint must hold no other parameter; nothing is
     * changed unless all of that holds.
     *
     * @param params the model's parameters, with unique names
     * @throws CorruptDataException listing the missing and the unexpected names
     * @throws ShapeMismatchException listing each parameter whose stored shape differs
     */
    public void restoreInto(List<Parameter> params) throws CorruptDataException {
        restoreInto(params, name -> false);
    }

    /**
     * {@link #restoreInto(List)}, leaving unused the checkpoint's parameters that {@code unused}
     * accepts (a training checkpoint's regularizers' own parameters, read by a command that needs
     * the model alone); any other parameter not in the model is refused as there.
     *
     * @param params the model's parameters
     * @param unused the names of parameters the checkpoint may hold beside them
     * @throws CorruptDataException if a parameter is missing or one that {@code unused} does not accept is unexpected
     * @throws ShapeMismatchException if a shape differs
     */
    public void restoreInto(List<Parameter> params, java.util.function.Predicate<String> unused) throws CorruptDataException {
        Objects.requireNonNull(params, "params");
        Set<String> names = new HashSet<>();
        List<String> missing = new ArrayList<>();
        List<String> shapes = new ArrayList<>();
        for (Parameter p : params) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("two parameters are named '" + p.name() + "'; names must be unique");
            }
            Tensor stored = parameters.get(p.name());
            if (stored == null) {
                missing.add(p.name());
            } else if (!stored.sameShape(p.value())) {
                shapes.add(p.name() + ": checkpoint " + Arrays.toString(stored.shape()) + " vs model "
                        + Arrays.toString(p.value().shape()));
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : parameters.keySet()) {
            if (!names.contains(name) && !unused.test(name)) unexpected.add(name);
        }
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            StringBuilder m = new StringBuilder(source + ": checkpoint does not match the model's parameters:");
            if (!missing.isEmpty()) m.append(" missing from the checkpoint ").append(list(missing));
            if (!missing.isEmpty() && !unexpected.isEmpty()) m.append(';');
            if (!unexpected.isEmpty()) m.append(" unexpected in the checkpoint (not in the model) ").append(list(unexpected));
            throw new CorruptDataException(m.toString());
        }
        if (!shapes.isEmpty()) {
            throw new ShapeMismatchException(source + ": parameter shapes differ: " + list(shapes));
        }
        for (Parameter p : params) {
            p.value().copyFrom(parameters.get(p.name()));
        }
    }

    private static String list(List<String> items) {
        List<String> shown = items.size() <= LISTED ? items : items.subList(0, LISTED);
        String s = shown.size() + (shown.size() == 1 ? " name " : " names ") + String.join(", ", shown);
        if (items.size() > LISTED) s = items.size() + " names, first " + LISTED + ": " + String.join(", ", shown);
        return "(" + s + ")";
    }

    @Override
    public String toString() {
        return "Checkpoint[" + source + ", " + parameters.size() + " parameters, " + extraState.size()
                + " extra tensors, metadata " + new LinkedHashMap<>(metadata).keySet() + "]";
    }
}
