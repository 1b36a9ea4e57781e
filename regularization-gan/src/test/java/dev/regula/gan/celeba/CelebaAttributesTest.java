package dev.regula.gan.celeba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.CorruptDataException;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CelebaAttributesTest {
    static final String VALID = """
            3
            5_o_Clock_Shadow Smiling Eyeglasses Black_Hair Pale_Skin
            000001.jpg -1  1 -1  1 -1
            000002.jpg  1 -1  1 -1  1
            000003.jpg -1 -1 -1 -1 -1
            """;

    static CelebaAttributes parse(String text) throws IOException {
        return CelebaAttributes.parse(new StringReader(text), "attr.txt");
    }

    private static String error(String text) {
        return assertThrows(CorruptDataException.class, () -> parse(text)).getMessage();
    }

    /** A UTF-8 byte-order mark, as ISO-8859-1 reads it or as a decoded character, is dropped before the count. */
    @Test
    void aByteOrderMarkBeforeTheCountIsDropped() throws IOException {
        assertEquals(3, parse("\u00EF\u00BB\u00BF" + VALID).size());
        assertEquals(3, parse("\uFEFF" + VALID).size());
    }

    @Test
    void parsesTheTable() throws IOException {
        CelebaAttributes t = parse(VALID);
        assertEquals(List.of("5_o_Clock_Shadow", "Smiling", "Eyeglasses", "Black_Hair", "Pale_Skin"), t.names());
        assertEquals(List.of("000001.jpg", "000002.jpg", "000003.jpg"), t.files());
        assertEquals(3, t.size());
        assertEquals(1, t.value(0, "Smiling"));
        assertEquals(-1, t.value(1, "Smiling"));
        assertEquals(1, t.value(1, "Pale_Skin"));
        assertEquals(-1, t.value(2, "5_o_Clock_Shadow"));
        assertEquals(3, t.columnOf("Black_Hair"));
        assertThrows(IndexOutOfBoundsException.class, () -> t.value(3, "Smiling"));
    }

    @Test
    void unknownAttributeListsTheKnownOnes() throws IOException {
        CelebaAttributes t = parse(VALID);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.columnOf("smiling"));
        assertTrue(e.getMessage().contains("'smiling'") && e.getMessage().contains("Smiling, Eyeglasses"), e.getMessage());
    }

    @Test
    void acceptsCrlfTrailingBlankLinesAndAByteOrderMark() throws IOException {
        CelebaAttributes t = parse("\uFEFF" + VALID.replace("\n", "\r\n") + "\r\n  \n");
        assertEquals(3, t.size());
        assertEquals(1, t.value(0, "Black_Hair"));
        assertEquals(0, parse("0\nA B\n").size());
    }

    @Test
    void reportsEveryKindOfMalformedInputWithItsLine() {
        assertTrue(error("").contains("attr.txt:1:") && error("").contains("empty"));
        assertTrue(error("3").contains("attr.txt:2:"));
        assertTrue(error("three\nA\n").contains("attr.txt:1:"));
        assertTrue(error("-3\nA\n").contains("non-negative"));
        assertTrue(error("99999999999\nA\n").contains("larger than"));
        assertTrue(error("1\n\nx.jpg\n").contains("attr.txt:2:"));
        assertTrue(error("1\nA B A\nx.jpg 1 1 1\n").contains("'A' appears twice"));
        String missing = error(VALID.replace("000002.jpg  1 -1  1 -1  1", "000002.jpg  1 -1  1 -1"));
        assertTrue(missing.contains("attr.txt:4:") && missing.contains("found 4 values"), missing);
        assertTrue(error(VALID.replace("000002.jpg  1", "000002.jpg  1 1")).contains("found 6 values"));
        assertTrue(error(VALID.replace("000003.jpg -1", "000003.jpg 0")).contains("attr.txt:5:"));
        String bad = error(VALID.replace("000003.jpg -1", "000003.jpg 1.0"));
        assertTrue(bad.contains("'5_o_Clock_Shadow'") && bad.contains("'1.0'") && bad.contains("1 or -1"), bad);
        assertTrue(error(VALID.replace("000003.jpg -1", "000003.jpg +1")).contains("1 or -1"));
        assertTrue(error(VALID.replace("000003.jpg", "000001.jpg")).contains("listed twice"));
        assertTrue(error(VALID.replace("000003.jpg", "../secret.jpg")).contains("plain file name"));
        assertTrue(error(VALID.replace("000003.jpg", "..")).contains("attr.txt:5:"));
        assertTrue(error(VALID.replace("3\n", "4\n")).contains("declares 4 images but the file lists 3"));
        assertTrue(error(VALID.replace("3\n", "2\n")).contains("declares 2 images but the file lists 3"));
        assertTrue(error(VALID.replace("000002.jpg", "\n000002.jpg")).contains("blank line"));
    }

    @Test
    void aLargeDeclaredCountDoesNotAllocate() {
        assertTrue(error("2000000000\nA\nx.jpg 1\n").contains("declares 2000000000 images but the file lists 1"));
    }

    @Test
    void fuzzedInputEitherParsesOrFailsAsCorruptData() {
        SplittableRandom r = new SplittableRandom(2024);
        String alphabet = "01-+ \t\n\r.jpgAB_9\u0000/\\:";
        for (int round = 0; round < 3000; round++) {
            StringBuilder s = new StringBuilder(VALID);
            int edits = 1 + r.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = r.nextInt(s.length() + 1);
                switch (r.nextInt(3)) {
                    case 0 -> s.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
                    case 1 -> { if (at < s.length()) s.deleteCharAt(at); }
                    default -> { if (at < s.length()) s.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length()))); }
                }
            }
            String text = s.toString();
            try {
                CelebaAttributes t = parse(text);
                assertEquals(t.files().size(), t.size());
                for (int i = 0; i < t.size(); i++) {
                    for (String name : t.names()) {
                        int v = t.value(i, name);
                        assertTrue(v == 1 || v == -1);
                    }
                }
            } catch (CorruptDataException expected) {
                assertTrue(expected.getMessage().startsWith("attr.txt:"), expected.getMessage());
            } catch (Throwable other) {
                throw new AssertionError("input " + text.replace("\n", "\\n") + " threw " + other, other);
            }
        }
    }
}
