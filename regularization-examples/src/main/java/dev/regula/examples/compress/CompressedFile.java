package dev.regula.examples.compress;

import dev.regula.api.CorruptDataException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.checkpoint.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The compressed model of {@code regula compress} as a safetensors file that stores what the
 * compression ratio counts. Per quantised weight tensor {@code W}:
 * <ul>
 *   <li>{@code W.entries} (U8): the {@link SparseCode} entries bit-packed ({@link SparseCode#pack()}):
 *       per stored entry a relative index of {@code W.index_bits} bits and a code of
 *       {@code W.code_bits} bits, least significant bit first;</li>
 *   <li>{@code W.codebook} (F32 [K]): the values of the codes, code 0 being the pruned 0;</li>
 *   <li>metadata {@code W.shape} (comma-separated), {@code W.entries}, {@code W.index_bits},
 *       {@code W.code_bits}.</li>
 * </ul>
 * Every other parameter (biases) is stored dense as F32 under its own name. Metadata
 * {@code format} is {@value #FORMAT}. {@link #read} rebuilds the dense tensors.
 */
public final class CompressedFile {
    /** The value of the {@code format} metadata key. */
    public static final String FORMAT = "regula-soft-weight-sharing-2";

    private CompressedFile() {}

    /**
     * One quantised weight tensor.
     *
     * @param code its sparse code
     * @param codebook the value of each code, entry 0 being 0
     * @param shape the dense shape
     */
    public record Quantised(SparseCode code, float[] codebook, int[] shape) {
        /** Checks the codebook covers the codes and the shape the code's size. */
        public Quantised {
            Objects.requireNonNull(code, "code");
            if (codebook.length < 2 || codebook[0] != 0f) {
                throw new IllegalArgumentException("a codebook needs >= 2 entries, the first 0, got " + Arrays.toString(codebook));
            }
            if (codebook.length > 1 << code.codeBits()) {
                throw new IllegalArgumentException(codebook.length + " codebook entries do not fit codes of " + code.codeBits() + " bits");
            }
            if (Tensor.sizeOf(shape) != code.size()) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + code.size() + " elements");
            }
        }
    }

    /**
     * Writes the file (atomically, as {@link Safetensors#write}).
     *
     * @param file the target
     * @param weights the quantised weight tensors by parameter name
     * @param dense the other parameters by name, stored as F32
     * @param metadata more metadata (must not use the keys this format sets)
     * @return the file's size in bytes
     * @throws IOException if writing fails
     */
    public static long write(Path file, Map<String, Quantised> weights, Map<String, Tensor> dense, Map<String, String> metadata)
            throws IOException {
        Map<String, Tensor> tensors = new TreeMap<>(dense);
        Map<String, String> dtypes = new TreeMap<>();
        Map<String, String> meta = new TreeMap<>(metadata);
        meta.put("format", FORMAT);
        for (Map.Entry<String, Quantised> e : weights.entrySet()) {
            String w = e.getKey();
            Quantised q = e.getValue();
            byte[] packed = q.code().pack();
            float[] bytes = new float[packed.length];
            for (int i = 0; i < packed.length; i++) bytes[i] = packed[i] & 0xFF;
            put(tensors, w + ".entries", Tensor.of(bytes, bytes.length));
            dtypes.put(w + ".entries", "U8");
            put(tensors, w + ".codebook", Tensor.of(q.codebook().clone(), q.codebook().length));
            meta.put(w + ".shape", String.join(",", Arrays.stream(q.shape()).mapToObj(Integer::toString).toList()));
            meta.put(w + ".entries", Integer.toString(q.code().codes().length));
            meta.put(w + ".index_bits", Integer.toString(q.code().indexBits()));
            meta.put(w + ".code_bits", Integer.toString(q.code().codeBits()));
        }
        Safetensors.write(file, tensors, Map.of(), dtypes, meta);
        return Files.size(file);
    }

    private static void put(Map<String, Tensor> tensors, String name, Tensor t) {
        if (tensors.put(name, t) != null) throw new IllegalArgumentException("two tensors named " + name);
    }

    /**
     * Reads a file of {@link #write} and rebuilds every parameter dense: the quantised weights from
     * their entries and codebook, the others as stored.
     *
     * @param file a compressed file
     * @return the dense parameters by name
     * @throws CorruptDataException if the file is not of this format or its entries, codebooks and
     *     shapes disagree (naming the file and the tensor)
     * @throws IOException if reading fails
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new CorruptDataException(file + ": not a compressed model (metadata format is " + meta.get("format") + ", expected "
                    + FORMAT + ")");
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
            String name = e.getKey();
            if (name.endsWith(".codebook")) continue;
            if (!name.endsWith(".entries")) {
                out.put(name, e.getValue());
                continue;
            }
            String w = name.substring(0, name.length() - ".entries".length());
            Tensor book = c.tensors().get(w + ".codebook");
            if (book == null) throw new CorruptDataException(file + ": " + w + " has entries but no " + w + ".codebook");
            try {
                int[] shape = Arrays.stream(required(meta, w + ".shape", file).split(",")).mapToInt(Integer::parseInt).toArray();
                float[] raw = e.getValue().data();
                byte[] packed = new byte[raw.length];
                for (int i = 0; i < raw.length; i++) packed[i] = (byte) (int) raw[i];
                SparseCode code = SparseCode.unpack(packed, Integer.parseInt(required(meta, w + ".entries", file)),
                        Integer.parseInt(required(meta, w + ".index_bits", file)), Integer.parseInt(required(meta, w + ".code_bits", file)),
                        Tensor.sizeOf(shape));
                for (int k : code.codes()) {
                    if (k >= book.size()) throw new CorruptDataException(file + ": " + w + " has code " + k + " but a codebook of " + book.size());
                }
                out.put(w, Tensor.of(code.decode(book.data()), shape));
            } catch (IllegalArgumentException ex) {
                throw new CorruptDataException(file + ": " + w + ": " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    private static String required(Map<String, String> meta, String key, Path file) throws CorruptDataException {
        String v = meta.get(key);
        if (v == null) throw new CorruptDataException(file + ": metadata " + key + " is missing");
        return v;
    }
}
