package dev.regula.gan.celeba;

import dev.regula.api.CorruptDataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The attribute table of CelebA, {@code list_attr_celeba.txt}.
 *
 * <p>The format: line 1 holds the number of images; line 2 the attribute names separated by
 * whitespace (40 in the real file: {@code 5_o_Clock_Shadow Arched_Eyebrows … Young}); then one
 * line per image, its file name followed by one value per attribute, each {@code 1} (present) or
 * {@code -1} (absent), separated by any amount of whitespace. Blank lines are allowed only at the
 * end of the file.
 *
 * <p>Nothing in the file is trusted: every malformed input is reported as a
 * {@link CorruptDataException} naming the source, the line and what was expected: a missing or
 * non-numeric count, no or duplicate names, a row with too few or too many values, a value other
 * than ±1, a file name that is empty, a duplicate or not a plain name (no directories), and a row
 * count different from the declared one. Memory grows with the rows actually present, never with
 * the declared count. Any number of attribute names (at least one) is accepted.
 */
public final class CelebaAttributes {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final List<String> names;
    private final Map<String, Integer> columns;
    private final List<String> files;
    private final byte[] values; // row-major, -1 or 1

    private CelebaAttributes(List<String> names, List<String> files, byte[] values) {
        this.names = List.copyOf(names);
        this.files = List.copyOf(files);
        this.values = values;
        Map<String, Integer> c = new HashMap<>();
        for (int i = 0; i < names.size(); i++) c.put(names.get(i), i);
        this.columns = Map.copyOf(c);
    }

    /**
     * Parses an attribute table. The reader is read to its end and not closed.
     *
     * @param in the text of {@code list_attr_celeba.txt}
     * @param source a name for the source (usually the file path), used in error messages
     * @return the table
     * @throws CorruptDataException if the text is not a valid attribute table
     * @throws IOException if the reader fails
     */
    public static CelebaAttributes parse(Reader in, String source) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);

        String countLine = r.readLine();
        if (countLine == null) {
            throw corrupt(source, 1, "the file is empty; expected the number of images on line 1");
        }
        // a UTF-8 byte-order mark (read as ISO-8859-1 or as UTF-8) is no part of the count
        if (countLine.startsWith("\u00EF\u00BB\u00BF")) countLine = countLine.substring(3);
        else if (countLine.startsWith("\uFEFF")) countLine = countLine.substring(1);
        String countText = strip(countLine, true);
        int declared = parseCount(source, countText);

        String nameLine = r.readLine();
        if (nameLine == null) {
            throw corrupt(source, 2, "the file ends after line 1; expected the attribute names on line 2");
        }
        String[] nameTokens = tokens(nameLine);
        if (nameTokens.length == 0) {
            throw corrupt(source, 2, "expected the attribute names separated by whitespace, found an empty line");
        }
        Set<String> seen = new HashSet<>();
        for (String name : nameTokens) {
            if (!seen.add(name)) {
                throw corrupt(source, 2, "attribute name '" + shorten(name) + "' appears twice; names must be unique");
            }
        }
        int k = nameTokens.length;

        List<String> files = new ArrayList<>();
        Set<String> fileSet = new HashSet<>();
        byte[] values = new byte[(int) Math.min(64L * k, 1 << 20)];
        int lineNo = 2;
        int blankAt = -1;
        for (String line; (line = r.readLine()) != null; ) {
            lineNo++;
            String[] t = tokens(line);
            if (t.length == 0) {
                if (blankAt < 0) blankAt = lineNo;
                continue;
            }
            if (blankAt >= 0) {
                throw corrupt(source, blankAt, "blank line before the last image row (line " + lineNo + ")");
            }
            if (t.length != k + 1) {
                throw corrupt(source, lineNo, "expected a file name and " + k + " values (one per attribute), found "
                        + (t.length - 1) + " value" + (t.length == 2 ? "" : "s") + " after '" + shorten(t[0]) + "'");
            }
            String file = t[0];
            checkFileName(source, lineNo, file);
            if (!fileSet.add(file)) {
                throw corrupt(source, lineNo, "file '" + file + "' is listed twice");
            }
            int row = files.size();
            if ((long) (row + 1) * k > Integer.MAX_VALUE - 8) {
                throw corrupt(source, lineNo, "too many rows: more than " + (Integer.MAX_VALUE - 8) / k + " images");
            }
            int need = (row + 1) * k;
            if (need > values.length) {
                values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, 2L * values.length)));
            }
            for (int j = 0; j < k; j++) {
                String v = t[j + 1];
                byte b;
                if (v.equals("1")) {
                    b = 1;
                } else if (v.equals("-1")) {
                    b = -1;
                } else {
                    throw corrupt(source, lineNo, "value of attribute '" + nameTokens[j] + "' for '" + file
                            + "' is '" + shorten(v) + "', expected 1 or -1");
                }
                values[row * k + j] = b;
            }
            files.add(file);
        }
        if (files.size() != declared) {
            throw corrupt(source, lineNo, "line 1 declares " + declared + " images but the file lists " + files.size());
        }
        return new CelebaAttributes(List.of(nameTokens), files, Arrays.copyOf(values, files.size() * k));
    }

    private static int parseCount(String source, String text) throws CorruptDataException {
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw corrupt(source, 1, "expected the number of images (a non-negative integer), found '"
                    + shorten(text) + "'");
        }
        String digits = text.replaceFirst("^0+(?=.)", "");
        long n = digits.length() > 10 ? Long.MAX_VALUE : Long.parseLong(digits); // <= 10 digits fit a long
        if (n > Integer.MAX_VALUE) {
            throw corrupt(source, 1, "image count " + shorten(text) + " is larger than " + Integer.MAX_VALUE);
        }
        return (int) n;
    }

    private static void checkFileName(String source, int lineNo, String file) throws CorruptDataException {
        if (file.equals(".") || file.equals("..")) {
            throw corrupt(source, lineNo, "expected an image file name, found '" + file + "'");
        }
        for (int i = 0; i < file.length(); i++) {
            char c = file.charAt(i);
            if (c == '/' || c == '\\' || c == ':' || c < 0x20 || c == 0x7F) {
                throw corrupt(source, lineNo, "image file name '" + shorten(file)
                        + "' must be a plain file name (no directories, separators or control characters)");
            }
        }
    }

    private static String[] tokens(String line) {
        String s = strip(line, false);
        return s.isEmpty() ? new String[0] : WHITESPACE.split(s);
    }

    private static String strip(String line, boolean first) {
        String s = first && line.startsWith("\uFEFF") ? line.substring(1) : line;
        return s.strip();
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static CorruptDataException corrupt(String source, int line, String what) {
        return new CorruptDataException(source + ":" + line + ": " + what);
    }

    /** @return the attribute names, in column order */
    public List<String> names() {
        return names;
    }

    /** @return the image file names, in row order */
    public List<String> files() {
        return files;
    }

    /** @return the number of images (rows) */
    public int size() {
        return files.size();
    }

    /**
     * @param name an attribute name, case-sensitive as in the file (e.g. {@code Smiling})
     * @return its column
     * @throws IllegalArgumentException if there is no such attribute; the message lists the known names
     */
    public int columnOf(String name) {
        Objects.requireNonNull(name, "name");
        Integer c = columns.get(name);
        if (c == null) {
            throw new IllegalArgumentException("unknown CelebA attribute '" + name + "'; known attributes: "
                    + String.join(", ", names));
        }
        return c;
    }

    /**
     * @param row an image row in {@code [0, size())}
     * @param attribute an attribute name
     * @return 1 if the image has the attribute, -1 if not
     * @throws IllegalArgumentException if the attribute is unknown
     * @throws IndexOutOfBoundsException if the row is out of range
     */
    public int value(int row, String attribute) {
        int c = columnOf(attribute);
        Objects.checkIndex(row, files.size());
        return values[row * names.size() + c];
    }

    @Override
    public String toString() {
        return "CelebaAttributes[images=" + files.size() + ", attributes=" + names.size() + "]";
    }
}
