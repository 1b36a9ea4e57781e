package dev.regula.gan.celeba;

import dev.regula.api.CorruptDataException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.DataNotFoundException;
import dev.regula.gan.faces.FaceAttributes;
import dev.regula.gan.faces.FaceDataset;
import java.awt.image.BufferedImage;
import java.io.EOFException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import dev.regula.core.io.MemoryBudget;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Loads CelebA face images as a {@link FaceDataset}.
 *
 * <p>The root directory holds {@code list_attr_celeba.txt} and {@code img_align_celeba/} (the
 * "Align&amp;Cropped" JPEGs, 178×218). The layout of the official download is accepted too:
 * {@code Anno/list_attr_celeba.txt} and {@code Img/img_align_celeba/}; and so is an image folder
 * nested in itself ({@code img_align_celeba/img_align_celeba/}), as some archives unpack.
 *
 * <p>Each image is cropped to its centred square of side {@link #CROP_FRACTION}{@code ·min(w, h)}
 * (the centred 140×140 of an aligned 178×218 image: the face with a little hair and background,
 * as in DCGAN-era CelebA work), then resized to {@code size×size} by area averaging (each output
 * pixel is the mean of the source area it covers, fractional pixels weighted by overlap) and
 * scaled to {@code [-1, 1]}. Labels come from the attributes {@code Smiling}, {@code Eyeglasses},
 * {@code Black_Hair} and {@code Pale_Skin}, mapped from ±1 to 1/0, in the order of
 * {@link FaceAttributes#BINARY_NAMES}. The attribute list of the result is empty.
 */
public final class CelebaLoader {
    /** The side of the centre crop as a fraction of the shorter image side: 140/178. */
    public static final double CROP_FRACTION = 140.0 / 178.0;

    /** The CelebA attributes behind the labels, in the order of {@link FaceAttributes#BINARY_NAMES}. */
    public static final List<String> LABEL_ATTRIBUTES = List.of("Smiling", "Eyeglasses", "Black_Hair", "Pale_Skin");

    /** The largest supported output image side. */
    public static final int MAX_SIZE = 1024;

    private static final String ATTR_FILE = "list_attr_celeba.txt";
    private static final String IMAGE_DIR = "img_align_celeba";
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private CelebaLoader() {}

    /**
     * Loads the first {@code limit} images of the attribute table (all of them if {@code limit}
     * is 0), in the table's order. Images are decoded in parallel; the result does not depend on
     * the thread count.
     *
     * @param root the CelebA directory (see the class documentation for the accepted layouts)
     * @param size the output image side, in {@code [1, 1024]}
     * @param limit the largest number of images to load, or 0 for all; >= 0
     * @return images {@code [n, 3, size, size]} in {@code [-1, 1]}, no attributes, labels {@code [n, 4]}
     * @throws DataNotFoundException if the root, the attribute file, the image directory or a
     *     listed image does not exist; the message says where CelebA should be put
     * @throws CorruptDataException if the attribute table is malformed or lacks a label attribute,
     *     or an image cannot be decoded (the message names the file)
     * @throws IOException if a file cannot be read
     */
    public static FaceDataset load(Path root, int size, int limit) throws IOException {
        Objects.requireNonNull(root, "root");
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("image size must be in [1, " + MAX_SIZE + "], got " + size);
        }
        if (limit < 0) throw new IllegalArgumentException("limit must be >= 0 (0 = all images), got " + limit);
        Path attrFile = requirePresent(root);
        Path imageDir = firstExisting(root, true, IMAGE_DIR, "Img/" + IMAGE_DIR);
        if (Files.isDirectory(imageDir.resolve(IMAGE_DIR))) imageDir = imageDir.resolve(IMAGE_DIR);

        dev.regula.core.io.InputFiles.requireRegularFile(attrFile, "CelebA attribute file"); // unreadable: exit 3, named
        CelebaAttributes table;
        try (Reader in = Files.newBufferedReader(attrFile, StandardCharsets.ISO_8859_1)) {
            table = CelebaAttributes.parse(in, attrFile.toString());
        }
        int k = LABEL_ATTRIBUTES.size();
        for (int j = 0; j < k; j++) {
            String name = LABEL_ATTRIBUTES.get(j);
            if (!table.names().contains(name)) {
                throw new CorruptDataException(attrFile + ": attribute '" + name + "' is missing; it is needed for the "
                        + FaceAttributes.BINARY_NAMES.get(j) + " label (file has: " + String.join(", ", table.names()) + ")");
            }
        }

        int n = limit == 0 ? table.size() : Math.min(limit, table.size());
        long length = 3L * size * size;
        if (n * length > MAX_ELEMENTS) {
            throw new IllegalArgumentException(n + " images of " + size + "x" + size + " need " + n * length
                    + " floats, more than one tensor holds (" + MAX_ELEMENTS + "); pass a smaller limit or size");
        }
        float[] images = new float[(int) (n * length)];
        float[] labels = new float[n * k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) labels[i * k + j] = table.value(i, LABEL_ATTRIBUTES.get(j)) > 0 ? 1f : 0f;
        }
        Path dir = imageDir;
        try {
            IntStream.range(0, n).parallel().forEach(i -> {
                try {
                    BufferedImage img = decode(imageFile(dir, table.files().get(i), attrFile));
                    int w = img.getWidth();
                    int h = img.getHeight();
                    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
                    Resampler.cropResize(argb, w, h, CROP_FRACTION, size, images, (int) (i * length));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new FaceDataset(Tensor.wrap(images, n, 3, size, size), List.of(), Tensor.wrap(labels, n, k));
    }

    private static Path imageFile(Path dir, String name, Path attrFile) throws CorruptDataException {
        Path file;
        try {
            file = dir.resolve(name);
        } catch (InvalidPathException e) {
            throw new CorruptDataException(attrFile + ": image name '" + name + "' is not a valid file name here", e);
        }
        if (Files.notExists(file)) {
            throw new DataNotFoundException("CelebA image " + file + " (listed in " + attrFile
                    + ") does not exist; the image directory is incomplete, re-extract img_align_celeba");
        }
        try { // a folder, FIFO or device in an image's place is named for what it is
            dev.regula.core.io.InputFiles.requireRegularFile(file, "CelebA image (listed in " + attrFile + ")");
        } catch (CorruptDataException e) {
            throw e;
        } catch (IOException e) {
            throw new CorruptDataException("CelebA image " + file + " cannot be checked: " + e, e);
        }
        return file;
    }

    /** The largest image side decoded; larger headers are refused before decoding. */
    public static final int MAX_SIDE = 4096;

    /**
     * Decodes an image; warnings of the decoder (a truncated JPEG, say) count as corruption, and a
     * header declaring more than {@value #MAX_SIDE} pixels on a side (or more than the heap holds)
     * is refused before any pixel is decoded.
     */
    static BufferedImage decode(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) throw new IOException("cannot open " + file + " for reading");
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new CorruptDataException(file + ": not an image javax.imageio can decode (expected a JPEG)");
            }
            ImageReader reader = readers.next();
            try {
                List<String> warnings = new ArrayList<>();
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                // Bound the size the header declares before decoding: a small file can claim 24000² pixels.
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE) {
                    throw new CorruptDataException(file + ": image header declares " + w + " x " + h
                            + " pixels; allowed: 1 to " + MAX_SIDE + " on each side (CelebA's aligned faces are 178 x 218)");
                }
                if (!MemoryBudget.fits(4L * w * h)) {
                    throw new CorruptDataException(file + ": decoding " + w + " x " + h + " pixels needs " + MemoryBudget.shortfall(4.0 * w * h));
                }
                BufferedImage img = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new CorruptDataException(file + ": damaged image (" + warnings.get(0) + ")");
                }
                if (img.getWidth() < 1 || img.getHeight() < 1) {
                    throw new CorruptDataException(file + ": image is empty (" + img.getWidth() + "x" + img.getHeight() + ")");
                }
                return img;
            } catch (IIOException | EOFException e) {
                throw new CorruptDataException(file + ": corrupt image (" + e.getMessage() + ")", e);
            } catch (RuntimeException e) {
                // decoders report some malformed streams with unchecked exceptions
                throw new CorruptDataException(file + ": corrupt image (" + e + ")", e);
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * Checks that a CelebA folder holds what {@link #load} reads, without reading it: a missing
     * folder is found before any other work.
     *
     * @param root the CelebA folder
     * @return its attribute file
     * @throws DataNotFoundException if the folder, the attribute file or the image folder is missing
     * @throws IOException if the folder cannot be listed
     */
    public static Path requirePresent(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new DataNotFoundException("CelebA directory " + root + " does not exist or is not a directory. "
                    + howToInstall(root));
        }
        Path attrFile = firstExisting(root, false, ATTR_FILE, "Anno/" + ATTR_FILE);
        if (attrFile == null) {
            throw new DataNotFoundException("CelebA attribute file not found: looked for " + root.resolve(ATTR_FILE)
                    + " and " + root.resolve("Anno").resolve(ATTR_FILE) + ". " + howToInstall(root));
        }
        if (firstExisting(root, true, IMAGE_DIR, "Img/" + IMAGE_DIR) == null) {
            throw new DataNotFoundException("CelebA image directory not found: looked for " + root.resolve(IMAGE_DIR)
                    + " and " + root.resolve("Img").resolve(IMAGE_DIR) + ". " + howToInstall(root));
        }
        return attrFile;
    }

    private static Path firstExisting(Path root, boolean directory, String... candidates) throws IOException {
        for (String c : candidates) {
            Path p = root.resolve(c);
            if (directory ? Files.isDirectory(p) : Files.isRegularFile(p)) return p;
            // a file's name held by something else (a folder, a FIFO) is named for what it is, not as missing
            if (!directory && Files.exists(p)) dev.regula.core.io.InputFiles.requireRegularFile(p, "CelebA attribute file");
        }
        return null;
    }

    private static String howToInstall(Path root) {
        return "To use CelebA, download img_align_celeba.zip and list_attr_celeba.txt "
                + "(https://mmlab.ie.cuhk.edu.hk/projects/CelebA.html) and unpack them so that " + root
                + " holds img_align_celeba/ and list_attr_celeba.txt; without CelebA, use synthetic faces.";
    }
}
