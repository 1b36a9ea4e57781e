package dev.regula.core.data;

import dev.regula.api.CorruptDataException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.io.InputFiles;
import dev.regula.core.io.MemoryBudget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reads a numeric CSV file as a {@link Dataset}: one example per line, one column is the label
 * and the others are the features, in file order.
 *
 * <p>Cells are decimal numbers ({@code -1}, {@code 0.5}, {@code 2.5e-3}), optionally surrounded
 * by blanks or double quotes; anything else ({@code NaN}, {@code inf}, {@code 1.0f}, hex, empty
 * cells) is an error. Blank lines are skipped. Every data line must have as many cells as the
 * first line. If every label, as written (read as a double, before any rounding to float32), is a
 * non-negative integer below 2^24 the labels are class indices and the number of classes is the
 * largest label + 1; otherwise they are real-valued targets and the number of classes is 0. So
 * {@code 0.99999999}, which float32 rounds to 1, is a real value, never silently class 1; with
 * {@link Builder#classLabels(boolean) classLabels(true)} such a label is an error naming its
 * line instead.
 *
 * <p>{@link #read(Path)} reads only regular files ({@link InputFiles}: a FIFO, device or directory
 * is refused, never waited on) and refuses a file larger than half of what the heap has left
 * ({@link MemoryBudget}) before reading it.
 *
 * <p>Errors are {@link CorruptDataException}s naming the file, the line, and for a bad cell the
 * column (1-based, with its header name when there is a header). Instances are immutable and
 * thread-safe; configure one with {@link #builder()}.
 */
public final class CsvReader {
    /** Labels are class indices only below this (2^24: every integer up to it is exact in float32). */
    static final int MAX_CLASSES = 1 << 24;

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private final boolean header;
    private final String labelName;
    private final int labelIndex;
    private final char delimiter;
    private final boolean classLabels;

    private CsvReader(Builder b) {
        this.classLabels = b.classLabels;
        this.header = b.header;
        this.labelName = b.labelName;
        this.labelIndex = b.labelIndex;
        this.delimiter = b.delimiter;
    }

    /** @return a builder: no header, label in the last column, comma-separated */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a UTF-8 file.
     *
     * @param file the CSV file
     * @return the data set
     * @throws CorruptDataException if the content is not UTF-8 text or not numeric CSV of the
     *     configured layout
     * @throws IOException if the file cannot be read
     */
    public Dataset read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        long size = InputFiles.requireRegularFile(file, "CSV file");
        if (!MemoryBudget.fits(4 * size)) { // a line is built in a growing buffer, the values in growing arrays
            throw new CorruptDataException("CSV file " + file + " is " + MemoryBudget.human(size)
                    + "; reading it may need up to four times that: " + MemoryBudget.shortfall(4.0 * size));
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString());
        } catch (CharacterCodingException e) {
            // Bytes that are not UTF-8 are a content error, not a failure of the file system.
            throw new CorruptDataException(file + ": not UTF-8 text (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads CSV text from a reader, which is read to its end and not closed.
     *
     * @param in the text
     * @param source a name for the source, used in error messages
     * @return the data set
     * @throws CorruptDataException if the content is not numeric CSV of the configured layout
     * @throws IOException if the reader fails
     */
    public Dataset read(Reader in, String source) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        BufferedReader lines = in instanceof BufferedReader br ? br : new BufferedReader(in);
        List<String> names = null;
        int columns = -1;
        int label = -1;
        float[] x = new float[1024];
        float[] y = new float[256];
        int rows = 0;
        int lineNo = 0;
        String notClass = null; // where the first label that is not a class index is, for messages
        String line;
        while ((line = lines.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1); // a byte-order mark is no part of the first cell
            if (line.isBlank()) continue;
            requireSplittable(line, source, lineNo);
            List<String> cells = split(line, source, lineNo);
            if (columns < 0) {
                columns = cells.size();
                if (columns < 2) {
                    throw new CorruptDataException(source + ":" + lineNo + ": found " + columns
                            + " column, expected at least 2 (features and a label)");
                }
                if (header) {
                    names = cells;
                    if (cells.stream().allMatch(c -> NUMBER.matcher(c.strip()).matches())) {
                        throw new CorruptDataException(source + ":" + lineNo + ": the header row holds only numbers ('"
                                + shorten(line) + "'): the file seems to have no header, and its first row would be read as one;"
                                + " add a row of column names (e.g. x1,x2,...,label) above the data");
                    }
                }
                label = labelColumn(names, columns, source, lineNo);
                if (header) continue;
            }
            if (cells.size() != columns) {
                throw new CorruptDataException(source + ":" + lineNo + ": ragged row: found " + cells.size()
                        + " columns, expected " + columns + " like " + (header ? "the header" : "the first row"));
            }
            int d = columns - 1;
            if ((long) (rows + 1) * d > Integer.MAX_VALUE - 8) {
                throw new CorruptDataException(source + ":" + lineNo + ": too many values for one tensor");
            }
            if ((rows + 1) * d > x.length) {
                x = grow(x, (int) Math.min(Integer.MAX_VALUE - 8, Math.max((rows + 1L) * d, 2L * x.length)), source, lineNo);
            }
            if (rows == y.length) y = grow(y, (int) Math.min(Integer.MAX_VALUE - 8, 2L * y.length), source, lineNo);
            int f = rows * d;
            for (int c = 0; c < columns; c++) {
                float v = number(cells.get(c), source, lineNo, c, names);
                if (c == label) {
                    y[rows] = v;
                    if (notClass == null && !isClassIndex(cells.get(c))) {
                        notClass = source + ":" + lineNo + ": label '" + shorten(cells.get(c).strip()) + "'";
                        if (classLabels) {
                            throw new CorruptDataException(notClass + " (column " + (c + 1) + ") is not a class index;"
                                    + " expected an integer in [0, " + MAX_CLASSES + ") such as 0, 1 or 2");
                        }
                    }
                }
                else x[f++] = v;
            }
            rows++;
        }
        if (rows == 0) {
            throw new CorruptDataException(source + ": " + (columns < 0 ? "empty file" : "header but no data rows")
                    + ", expected at least one row of numbers");
        }
        int d = columns - 1;
        float[] labels = trim(y, rows, source, lineNo);
        int numClasses = 0;
        if (notClass == null) {
            float max = -1;
            for (float v : labels) max = Math.max(max, v);
            numClasses = (int) max + 1;
        }
        return new Dataset(Tensor.wrap(trim(x, rows * d, source, lineNo), rows, d), Tensor.wrap(labels, rows), numClasses);
    }

    /** Lines longer than this have their split checked against the memory left first. */
    private static final int WIDE_LINE = 1 << 16;
    /** Bytes a cell's String costs while its row is split: object, array and list slot. */
    private static final long CELL_BYTES = 64;

    /**
     * Refuses a line too wide to split in the memory left: a cell is at least one character and a
     * delimiter, and costs a String in the list until the row is read.
     */
    private static void requireSplittable(String line, String source, int lineNo) throws CorruptDataException {
        if (line.length() > WIDE_LINE && !MemoryBudget.fitsAfterCollecting(CELL_BYTES * (line.length() / 2L + 1))) {
            throw new CorruptDataException(source + ":" + lineNo + ": a line of " + line.length() + " characters; splitting it may need "
                    + MemoryBudget.shortfall(CELL_BYTES * (line.length() / 2.0 + 1)));
        }
    }

    /**
     * @return a copy of {@code a} of {@code capacity} values, once the memory left can hold it beside
     *     {@code a}: every array the values pass through is checked, so no file makes the reader run
     *     the heap out
     */
    private static float[] grow(float[] a, int capacity, String source, int lineNo) throws CorruptDataException {
        if (!MemoryBudget.fitsAfterCollecting(4L * capacity)) {
            throw new CorruptDataException(source + ":" + lineNo + ": its values need an array of " + capacity + " floats beside the "
                    + a.length + " read so far: " + MemoryBudget.shortfall(4.0 * capacity));
        }
        return Arrays.copyOf(a, capacity);
    }

    /** @return {@code a} cut to {@code n} values ({@code a} itself when it holds exactly that many) */
    private static float[] trim(float[] a, int n, String source, int lineNo) throws CorruptDataException {
        return a.length == n ? a : grow(a, n, source, lineNo);
    }

    /**
     * Whether a label cell, as written, is a class index: an integer in [0, 2^24) read as a
     * double. Above 2^24 float32 no longer holds every integer, so max + 1 classes could round to
     * max and reject the largest label (such as 88888888.9); below it, a value
     * such as 0.99999999 rounds to an integer in float32 but is not one.
     */
    private static boolean isClassIndex(String cell) {
        String s = cell.strip();
        if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') s = s.substring(1, s.length() - 1).strip();
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return false;
        }
        return v >= 0 && v == Math.rint(v) && v < MAX_CLASSES;
    }

    private int labelColumn(List<String> names, int columns, String source, int lineNo) throws CorruptDataException {
        if (labelName != null) {
            int i = names.indexOf(labelName);
            if (i < 0) {
                throw new CorruptDataException(source + ":" + lineNo + ": no column named '" + labelName
                        + "' for the label; the header has " + names);
            }
            if (names.lastIndexOf(labelName) != i) {
                throw new CorruptDataException(source + ":" + lineNo + ": two columns are named '" + labelName
                        + "' (columns " + (i + 1) + " and " + (names.lastIndexOf(labelName) + 1) + "); which is the label is not clear");
            }
            return i;
        }
        int i = labelIndex < 0 ? columns + labelIndex : labelIndex;
        if (i < 0 || i >= columns) {
            throw new CorruptDataException(source + ":" + lineNo + ": label column " + labelIndex
                    + " is out of range for " + columns + " columns (allowed: 0.." + (columns - 1) + ", or -1..-" + columns + ")");
        }
        return i;
    }

    /**
     * The names in a CSV file's header row, read as {@link #read} reads it (its first line that is
     * not blank, a byte-order mark dropped, cells split and stripped), without reading the rest.
     *
     * @param file a CSV file with a header row
     * @return its column names, in order
     * @throws CorruptDataException if the file is empty or not UTF-8 text
     * @throws IOException if it cannot be read
     */
    public List<String> columnNames(Path file) throws IOException {
        InputFiles.requireRegularFile(file, "CSV file");
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                if (line.isBlank()) continue;
                requireSplittable(line, file.toString(), lineNo);
                return split(line, file.toString(), lineNo).stream().map(String::strip).toList();
            }
        } catch (CharacterCodingException e) {
            throw new CorruptDataException(file + ": not UTF-8 text (" + e.getMessage() + ")", e);
        }
        throw new CorruptDataException(file + ": empty file, expected a header row");
    }

    private static float number(String cell, String source, int lineNo, int column, List<String> names) throws CorruptDataException {
        String s = cell.strip();
        if (NUMBER.matcher(s).matches()) {
            float v = Float.parseFloat(s);
            if (Float.isFinite(v)) return v;
        }
        String col = "column " + (column + 1) + (names == null ? "" : " ('" + names.get(column) + "')");
        throw new CorruptDataException(source + ":" + lineNo + ": " + col + ": '" + shorten(cell)
                + "' is not a finite decimal number");
    }

    private List<String> split(String line, String source, int lineNo) throws CorruptDataException {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            // Skip blanks before a possible opening quote.
            int start = i;
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t') && line.charAt(i) != delimiter) i++;
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new CorruptDataException(source + ":" + lineNo + ": column " + (cells.size() + 1)
                                + ": unterminated quote (quoted cells cannot span lines)");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            cell.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        cell.append(c);
                    }
                }
                while (i < n && line.charAt(i) != delimiter) {
                    if (!Character.isWhitespace(line.charAt(i))) {
                        throw new CorruptDataException(source + ":" + lineNo + ": column " + (cells.size() + 1)
                                + ": unexpected text after a closing quote");
                    }
                    i++;
                }
            } else {
                i = start;
                while (i < n && line.charAt(i) != delimiter) cell.append(line.charAt(i++));
            }
            cells.add(cell.toString());
            cell.setLength(0);
            if (i >= n) return cells;
            i++; // the delimiter
        }
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** Configures a {@link CsvReader}. */
    public static final class Builder {
        private boolean header;
        private String labelName;
        private int labelIndex = -1;
        private char delimiter = ',';
        private boolean classLabels;

        private Builder() {}

        /**
         * @param required true to require every label to be a class index (an integer in
         *     [0, 2^24) as written), failing on the first that is not with its line; false (the
         *     default) to read such a file as real-valued targets
         * @return this
         */
        public Builder classLabels(boolean required) {
            this.classLabels = required;
            return this;
        }

        /**
         * @param header true if the first non-blank line holds column names
         * @return this
         */
        public Builder header(boolean header) {
            this.header = header;
            return this;
        }

        /**
         * Selects the label column by name; needs {@link #header(boolean) header(true)}.
         *
         * @param name the header name of the label column
         * @return this
         */
        public Builder labelColumn(String name) {
            this.labelName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Selects the label column by position (the default is -1, the last column).
         *
         * @param index 0-based from the left, or negative from the right (-1 is the last)
         * @return this
         */
        public Builder labelColumn(int index) {
            this.labelIndex = index;
            this.labelName = null;
            return this;
        }

        /**
         * @param delimiter the cell separator, not a double quote, CR, LF, letter, digit, '.', '+' or '-' (default ',')
         * @return this
         */
        public Builder delimiter(char delimiter) {
            if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
                throw new IllegalArgumentException("delimiter cannot be a quote, CR or LF, got '" + delimiter + "'");
            }
            if (Character.isLetterOrDigit(delimiter) || delimiter == '.' || delimiter == '+' || delimiter == '-') {
                throw new IllegalArgumentException("delimiter cannot be a letter, digit, '.', '+' or '-', which numbers are written"
                        + " with (it would split 1.5 or 1e-3), got '" + delimiter + "'");
            }
            this.delimiter = delimiter;
            return this;
        }

        /**
         * @return the reader
         * @throws IllegalStateException if a label name is set without a header
         */
        public CsvReader build() {
            if (labelName != null && !header) {
                throw new IllegalStateException("labelColumn(\"" + labelName + "\") needs header(true)");
            }
            return new CsvReader(this);
        }
    }
}
