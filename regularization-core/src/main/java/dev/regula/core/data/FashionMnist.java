package dev.regula.core.data;

import dev.regula.api.CorruptDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The Fashion-MNIST data set (Xiao et al. 2017): 28×28 grey-scale images of clothing in 10
 * classes, 60,000 for training and 10,000 for testing.
 *
 * <p>Loaded from a directory holding the four IDX files {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte},
 * each either gzip-compressed ({@code .gz}, preferred when both exist) or raw. The Debian package
 * {@code dataset-fashion-mnist} installs them in {@link #DEFAULT_DIRECTORY}. Images become features
 * {@code [n, 784]} in {@code [0, 1]}; labels are class indices {@code [n]} in {@code 0..9}.
 *
 * @param train the 60,000 training examples
 * @param test the 10,000 test examples
 */
public record FashionMnist(Dataset train, Dataset test) {
    /** Where {@code sudo apt-get install dataset-fashion-mnist} puts the files. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    /** The number of classes. */
    public static final int CLASSES = 10;

    /** The side of an image in pixels. */
    public static final int SIDE = 28;

    /** The class names, by class index. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Checks for nulls. */
    public FashionMnist {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
    }

    /**
     * Loads both splits from {@link #DEFAULT_DIRECTORY}.
     *
     * @return the training and test sets
     * @throws DataNotFoundException if the directory or a file is missing, saying how to install it
     * @throws CorruptDataException if a file is not valid Fashion-MNIST IDX data
     * @throws IOException if a file cannot be read
     */
    public static FashionMnist load() throws IOException {
        return load(DEFAULT_DIRECTORY);
    }

    /**
     * Loads both splits from a directory.
     *
     * @param directory the directory holding the four IDX files
     * @return the training and test sets
     * @throws DataNotFoundException if the directory or a file is missing, saying how to install it
     * @throws CorruptDataException if a file is not valid Fashion-MNIST IDX data
     * @throws IOException if a file cannot be read
     */
    public static FashionMnist load(Path directory) throws IOException {
        return load(directory, Long.MAX_VALUE);
    }

    /**
     * Loads the test split and the first {@code maxTrainExamples} of the training split; only
     * those are read (and inflated), so a quick run on a few examples reads a few examples.
     *
     * @param directory the directory holding the four IDX files
     * @param maxTrainExamples the most training examples to read, >= 1
     * @return the training and test sets
     * @throws DataNotFoundException if the directory or a file is missing, saying how to install it
     * @throws CorruptDataException if a file is not valid Fashion-MNIST IDX data
     * @throws IOException if a file cannot be read
     */
    public static FashionMnist load(Path directory, long maxTrainExamples) throws IOException {
        Objects.requireNonNull(directory, "directory");
        // Resolve all four names first, so a missing file is reported before minutes of parsing.
        Path trainImages = locate(directory, "train-images-idx3-ubyte");
        Path trainLabels = locate(directory, "train-labels-idx1-ubyte");
        Path testImages = locate(directory, "t10k-images-idx3-ubyte");
        Path testLabels = locate(directory, "t10k-labels-idx1-ubyte");
        return new FashionMnist(split(trainImages, trainLabels, maxTrainExamples), split(testImages, testLabels, Long.MAX_VALUE));
    }

    /**
     * Loads only the training split (60,000 examples).
     *
     * @param directory the directory holding the IDX files
     * @return the training set
     * @throws DataNotFoundException if the directory or a file is missing
     * @throws IOException if a file cannot be read
     */
    public static Dataset loadTrain(Path directory) throws IOException {
        return split(locate(directory, "train-images-idx3-ubyte"), locate(directory, "train-labels-idx1-ubyte"), Long.MAX_VALUE);
    }

    /**
     * Loads only the test split (10,000 examples).
     *
     * @param directory the directory holding the IDX files
     * @return the test set
     * @throws DataNotFoundException if the directory or a file is missing
     * @throws IOException if a file cannot be read
     */
    public static Dataset loadTest(Path directory) throws IOException {
        return split(locate(directory, "t10k-images-idx3-ubyte"), locate(directory, "t10k-labels-idx1-ubyte"), Long.MAX_VALUE);
    }

    private static Dataset split(Path images, Path labels, long maxRows) throws IOException {
        if (maxRows != Long.MAX_VALUE) { // a part is read: the whole counts are compared from the headers, as a full read compares them
            long n = IdxReader.declaredRows(images);
            long m = IdxReader.declaredRows(labels);
            if (n != m) throw IdxReader.countsDiffer(images, n, labels, m);
        }
        IdxData ys = IdxReader.readTyped(labels, false, maxRows);
        IdxReader.checkLabelFile(labels, ys);
        IdxData xs = IdxReader.readTyped(images, true, maxRows);
        int[] shape = xs.tensor().shape();
        if (xs.type() != IdxType.U8 || shape.length != 3 || shape[1] != SIDE || shape[2] != SIDE) {
            throw new CorruptDataException(images + ": expected unsigned-byte images of shape [n, 28, 28], found "
                    + xs.type() + " " + Arrays.toString(shape));
        }
        return IdxReader.pair(images, xs, labels, ys, CLASSES);
    }

    private static Path locate(Path directory, String name) {
        if (!Files.isDirectory(directory)) {
            throw new DataNotFoundException("Fashion-MNIST directory " + directory
                    + (Files.exists(directory) ? " is not a directory (give the folder holding the IDX files, looking for "
                            : " does not exist (looking for ") + name + ".gz). " + howToGet());
        }
        Path gz = directory.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) return gz;
        Path raw = directory.resolve(name);
        if (Files.isRegularFile(raw)) return raw;
        throw new DataNotFoundException("Fashion-MNIST file " + gz + " (or " + name + " uncompressed) not found. "
                + howToGet());
    }

    private static String howToGet() {
        return "Install the data set with `sudo apt-get install dataset-fashion-mnist` (it goes to "
                + DEFAULT_DIRECTORY + "), or pass the directory holding train-images-idx3-ubyte(.gz), "
                + "train-labels-idx1-ubyte(.gz), t10k-images-idx3-ubyte(.gz) and t10k-labels-idx1-ubyte(.gz) "
                + "to FashionMnist.load(Path).";
    }
}
