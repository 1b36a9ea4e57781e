package dev.regula.core.data;

import dev.regula.api.CorruptDataException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.io.InputFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * The diabetes regression data of Efron et al. (2004), "Least Angle Regression", as scikit-learn
 * ships it and Debian's {@code python3-sklearn} installs it: 442 patients, 10 baseline variables
 * (age, sex, body-mass index, blood pressure, six blood serum measurements) in
 * {@code diabetes_data_raw.csv.gz}, and a quantitative measure of disease progression one year
 * later in {@code diabetes_target.csv.gz}; both are gzipped, space-separated, without header. The
 * features are read unscaled (scikit-learn's {@code load_diabetes(scaled=False)}); the targets are
 * real values ([n, 1], 0 classes).
 */
public final class Diabetes {
    /** Where Debian's python3-sklearn installs the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/lib/python3/dist-packages/sklearn/datasets/data");
    /** The features file name. */
    public static final String FEATURES = "diabetes_data_raw.csv.gz";
    /** The targets file name. */
    public static final String TARGETS = "diabetes_target.csv.gz";
    /** The variables, in file order. */
    public static final List<String> COLUMNS = List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6");

    private Diabetes() {
    }

    /**
     * @param dir the folder holding {@value #FEATURES} and {@value #TARGETS}
     * @return the 442 examples, features [n, 10], targets [n, 1]
     * @throws DataNotFoundException if a file is missing (saying which package installs it)
     * @throws CorruptDataException if a line is not 10 (features) or 1 (target) numbers, or the counts differ
     * @throws IOException if a file cannot be read
     */
    public static Dataset load(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        List<double[]> x = read(dir.resolve(FEATURES), COLUMNS.size());
        List<double[]> y = read(dir.resolve(TARGETS), 1);
        if (x.size() != y.size()) {
            throw new CorruptDataException(dir + ": " + FEATURES + " has " + x.size() + " rows but " + TARGETS + " has " + y.size());
        }
        int n = x.size();
        int d = COLUMNS.size();
        float[] f = new float[n * d];
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) f[i * d + j] = (float) x.get(i)[j];
            t[i] = (float) y.get(i)[0];
        }
        return new Dataset(Tensor.wrap(f, n, d), Tensor.wrap(t, n, 1), 0);
    }

    private static List<double[]> read(Path file, int columns) throws IOException {
        if (!Files.exists(file)) {
            throw new DataNotFoundException(file + " not found; it is installed by Debian's python3-sklearn"
                    + " (apt-get install python3-sklearn), or give the folder holding " + FEATURES + " and " + TARGETS);
        }
        InputFiles.requireRegularFile(file, "diabetes data file"); // a FIFO or device is refused, never waited on
        List<double[]> rows = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
             BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII))) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) continue;
                String[] cells = line.trim().split("\\s+");
                if (cells.length != columns) {
                    throw new CorruptDataException(file + ": line " + number + " has " + cells.length + " values; expected " + columns);
                }
                double[] row = new double[columns];
                for (int j = 0; j < columns; j++) {
                    try {
                        row[j] = Double.parseDouble(cells[j]);
                    } catch (NumberFormatException e) {
                        throw new CorruptDataException(file + ": line " + number + ", column " + (j + 1) + ": '" + cells[j]
                                + "' is not a number");
                    }
                    if (!Double.isFinite(row[j])) {
                        throw new CorruptDataException(file + ": line " + number + ", column " + (j + 1) + ": " + cells[j] + " is not finite");
                    }
                }
                rows.add(row);
            }
        } catch (java.util.zip.ZipException e) {
            throw new CorruptDataException(file + ": not a gzip file (" + e.getMessage() + ")", e);
        }
        return rows;
    }
}
