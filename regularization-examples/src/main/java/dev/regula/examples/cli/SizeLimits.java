package dev.regula.examples.cli;

import dev.regula.api.CorruptDataException;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.core.io.InputFiles;
import dev.regula.core.io.MemoryBudget;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Bounds for every size an option or a file claims, checked before anything is allocated or
 * computed, so a hostile or mistyped size fails at once with a message naming the option, its
 * allowed range and the heap, instead of an {@link OutOfMemoryError}, a negative count from an
 * overflow, or thousands of threads minutes later. Options out of range throw
 * {@link IllegalArgumentException} (exit 2); files claiming more than the limits throw
 * {@link CorruptDataException} (exit 3).
 *
 * <p>For a command's own options: {@link #count} for a number with a stated range,
 * {@link #product} for a size computed from several (never overflows silently), and
 * {@link #requireHeap} for the bytes those sizes will take; {@link #imageSize} reads an image
 * file's width and height from its header, without decoding it, and bounds them.
 */
final class SizeLimits {
    /** Compute threads allowed per core: more only adds switching (and each thread is an OS thread). */
    static final int THREADS_PER_CORE = 4;

    private SizeLimits() {
    }

    /** @return the largest {@code --threads} allowed on this machine */
    static int maxThreads() {
        return Math.min(KernelsSelection.MAX_THREADS, THREADS_PER_CORE * Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param requested {@code --threads}, or null for one per core
     * @return the thread count to use
     * @throws IllegalArgumentException if it is not in [1, {@link #maxThreads()}]
     */
    static int threads(Integer requested) {
        if (requested == null) return Runtime.getRuntime().availableProcessors();
        if (requested < 1 || requested > maxThreads()) {
            throw new IllegalArgumentException("--threads must be in [1, " + maxThreads() + "] (" + THREADS_PER_CORE
                    + " per core; this machine has " + Runtime.getRuntime().availableProcessors() + " cores), got " + requested);
        }
        return requested;
    }

    /**
     * @param option the option's name, e.g. {@code --eval-images}
     * @param value its value
     * @param min the smallest allowed
     * @param max the largest allowed
     * @return {@code value} as an int
     * @throws IllegalArgumentException naming the option and the range if it is outside
     */
    static int count(String option, long value, long min, long max) {
        if (value < min || value > max || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " must be in [" + min + ", " + Math.min(max, Integer.MAX_VALUE) + "], got " + value);
        }
        return (int) value;
    }

    /**
     * @param what what the product counts, for the message, e.g. {@code "--eval-images x 3 x 32 x 32 pixels"}
     * @param factors the factors, each >= 0
     * @return their product
     * @throws IllegalArgumentException naming {@code what} if it exceeds {@code Long.MAX_VALUE}
     */
    static long product(String what, long... factors) {
        long p = 1;
        for (long f : factors) {
            if (f < 0) throw new IllegalArgumentException(what + ": a factor is negative (" + f + ")");
            try {
                p = Math.multiplyExact(p, f);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(what + " overflows a 64-bit count; choose smaller sizes", e);
            }
        }
        return p;
    }

    /**
     * Bounds a model's activations for a batch before any is allocated: every layer's output for
     * {@code batch} examples must be one tensor (at most 2³¹ − 1 values), and the outputs of all
     * layers together (kept for the backward pass, as float32, with their gradients) must fit the
     * free heap.
     *
     * @param model the model, a {@link dev.regula.core.layer.Sequential} (others are not checked)
     * @param batch the examples of one step ({@code --batch})
     * @param modelSpec the model's spec, for the message
     * @throws IllegalArgumentException naming --batch, --model and the layer when a bound is exceeded
     */
    static void activations(dev.regula.api.model.Model model, int batch, String modelSpec) {
        if (!(model instanceof dev.regula.core.layer.Sequential s)) return;
        int[] shape = s.inputShape();
        long total = 0;
        for (dev.regula.api.model.Layer layer : s.layers()) {
            shape = layer.outputShape(shape.clone());
            long values = batch;
            for (int d : shape) values = product("--batch " + batch + " x the output of layer '" + layer.name() + "'", values, d);
            if (values > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("--batch " + batch + " with --model " + modelSpec + ": layer '" + layer.name()
                        + "' would output " + values + " values per step, more than one tensor holds (2^31 - 1); give a smaller"
                        + " --batch (at most " + Math.max(1, batch * (long) Integer.MAX_VALUE / values) + ") or a smaller model");
            }
            total += values;
        }
        requireHeap("--batch " + batch + " with --model " + modelSpec + " (" + total + " activations per step, with their gradients)",
                product("activation bytes", total, 2L * Float.BYTES));
    }

    /**
     * @param what what needs the memory, e.g. {@code "--eval-images 100000 (float32 images)"}
     * @param bytes how many bytes it needs at least
     * @throws IllegalArgumentException if the heap cannot hold them, with the heap's limit and what is free
     */
    static void requireHeap(String what, long bytes) {
        if (!MemoryBudget.fits(bytes)) throw new IllegalArgumentException(what + " needs " + MemoryBudget.shortfall(bytes));
    }

    /**
     * Reads an image's width and height from its header (no pixels are decoded) and bounds them,
     * so a small file that decodes to a huge image (a 1.7 MB JPEG of 24000 x 24000 pixels) is
     * refused before decoding.
     *
     * @param file an image file (JPEG, PNG, anything {@link ImageIO} reads)
     * @param maxSide the largest width or height allowed
     * @return {width, height}
     * @throws CorruptDataException if it is not a readable image, or a side exceeds {@code maxSide},
     *     or its decoded pixels would not fit in the heap
     * @throws IOException if it cannot be read
     */
    static int[] imageSize(Path file, int maxSide) throws IOException {
        InputFiles.requireRegularFile(file, "image");
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new CorruptDataException(file + ": not an image this JVM can read (no javax.imageio reader recognises it)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w < 1 || h < 1 || w > maxSide || h > maxSide) {
                    throw new CorruptDataException(file + ": image header declares " + w + " x " + h
                            + " pixels; allowed: 1 to " + maxSide + " on each side");
                }
                if (!MemoryBudget.fits(4L * w * h)) {
                    throw new CorruptDataException(file + ": decoding " + w + " x " + h + " pixels needs " + MemoryBudget.shortfall(4.0 * w * h));
                }
                return new int[] {w, h};
            } catch (javax.imageio.IIOException e) {
                throw new CorruptDataException(file + ": unreadable image header (" + e.getMessage() + ")", e);
            } finally {
                reader.dispose();
            }
        }
    }
}
