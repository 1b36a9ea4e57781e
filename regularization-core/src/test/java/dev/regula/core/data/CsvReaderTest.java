package dev.regula.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.CorruptDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    private Path csv(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void plainFileWithLabelLast() throws Exception {
        Path f = csv("a.csv", "1,2,0\n3.5,-4e-1,2\r\n\n 5 , 6 ,1\n");
        Dataset d = CsvReader.builder().build().read(f);
        assertArrayEquals(new int[] {3, 2}, d.features().shape());
        assertArrayEquals(new float[] {1, 2, 3.5f, -0.4f, 5, 6}, d.features().data());
        assertArrayEquals(new float[] {0, 2, 1}, d.labels().data());
        assertEquals(3, d.numClasses());
    }

    @Test
    void headerWithLabelByNameAndQuotedCells() throws Exception {
        Path f = csv("h.csv", "\"class\",x,\"y\"\n1,\"0.5\",2\n0,1,3\n");
        Dataset d = CsvReader.builder().header(true).labelColumn("class").build().read(f);
        assertArrayEquals(new float[] {0.5f, 2, 1, 3}, d.features().data());
        assertArrayEquals(new float[] {1, 0}, d.labels().data());
        assertEquals(2, d.numClasses());
        Dataset first = CsvReader.builder().header(true).labelColumn(0).build().read(f);
        assertArrayEquals(d.labels().data(), first.labels().data());
    }

    /** A byte-order mark is not part of the first name; a label name given twice, or a delimiter numbers use, is refused. */
    @Test
    void aByteOrderMarkDuplicateLabelNamesAndANumbersDelimiter() throws Exception {
        Path bom = csv("bom.csv", "\uFEFFclass,x\n1,0.5\n0,1\n");
        assertArrayEquals(new float[] {1, 0}, CsvReader.builder().header(true).labelColumn("class").build().read(bom).labels().data());
        Path twice = csv("twice.csv", "y,x,y\n1,0.5,0\n0,1,1\n");
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> CsvReader.builder().header(true).labelColumn("y").build().read(twice));
        assertTrue(e.getMessage().contains("two columns are named 'y' (columns 1 and 3)"), e.getMessage());
        for (char c : new char[] {'.', 'e', '1', '-', '+'}) {
            assertThrows(IllegalArgumentException.class, () -> CsvReader.builder().delimiter(c), "delimiter " + c);
        }
        assertEquals(2, CsvReader.builder().delimiter(';').build().read(csv("semi.csv", "1.5;0\n2.5;1\n")).size());
    }

    @Test
    void realValuedLabelsGiveZeroClasses() throws Exception {
        Dataset d = CsvReader.builder().delimiter(';').build().read(csv("r.csv", "1;0.5\n2;-3\n"));
        assertEquals(0, d.numClasses());
        assertArrayEquals(new float[] {0.5f, -3}, d.labels().data());
    }

    @Test
    void raggedRowNamesLine() throws Exception {
        Path f = csv("rag.csv", "a,b,c\n1,2,3\n\n4,5\n");
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> CsvReader.builder().header(true).build().read(f));
        assertTrue(e.getMessage().contains("rag.csv:4"), e.getMessage());
        assertTrue(e.getMessage().contains("found 2 columns, expected 3"), e.getMessage());
    }

    @Test
    void nonNumericCellNamesLineAndColumn() throws Exception {
        Path f = csv("bad.csv", "a,b,label\n1,2,0\n1,x7,1\n");
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> CsvReader.builder().header(true).build().read(f));
        assertTrue(e.getMessage().contains("bad.csv:3"), e.getMessage());
        assertTrue(e.getMessage().contains("column 2 ('b')"), e.getMessage());
        assertTrue(e.getMessage().contains("'x7'"), e.getMessage());
        for (String cell : new String[] {"NaN", "Infinity", "1.0f", "0x10", "", "1e99"}) {
            Path g = csv("c.csv", "1," + cell + ",0\n");
            CorruptDataException ce = assertThrows(CorruptDataException.class, () -> CsvReader.builder().build().read(g),
                    cell);
            assertTrue(ce.getMessage().contains("c.csv:1: column 2"), ce.getMessage());
        }
    }

    @Test
    void emptyFileHeaderOnlyAndBadLabelColumn() throws Exception {
        Path empty = csv("e.csv", "\n  \n");
        assertTrue(assertThrows(CorruptDataException.class, () -> CsvReader.builder().build().read(empty))
                .getMessage().contains("e.csv: empty file"));
        Path headerOnly = csv("ho.csv", "a,b\n");
        assertTrue(assertThrows(CorruptDataException.class,
                () -> CsvReader.builder().header(true).build().read(headerOnly)).getMessage().contains("no data rows"));
        Path f = csv("l.csv", "a,b\n1,2\n");
        assertTrue(assertThrows(CorruptDataException.class,
                () -> CsvReader.builder().header(true).labelColumn("z").build().read(f)).getMessage()
                .contains("no column named 'z'"));
        assertTrue(assertThrows(CorruptDataException.class,
                () -> CsvReader.builder().labelColumn(5).build().read(f)).getMessage().contains("out of range"));
        assertThrows(IllegalStateException.class, () -> CsvReader.builder().labelColumn("z").build());
        Path unterminated = csv("q.csv", "1,\"2\n");
        assertTrue(assertThrows(CorruptDataException.class, () -> CsvReader.builder().build().read(unterminated))
                .getMessage().contains("q.csv:1: column 2: unterminated quote"));
    }

    /** Fuzzing found: a file that is not UTF-8 escaped as MalformedInputException, an IOException. */
    @Test
    void fileThatIsNotUtf8IsCorruptData() throws Exception {
        Path f = Files.write(dir.resolve("latin1.csv"), new byte[] {'a', ',', 'b', '\n', '1', ',', (byte) 0xff, '\n'});
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> CsvReader.builder().header(true).build().read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    /** Fuzzing found: label 88888888.9 is the integer 88888888 in float32, but 88888889 classes rounded to 88888888. */
    @Test
    void hugeIntegerLabelsAreTargetsNotClassIndices() throws Exception {
        Dataset ds = CsvReader.builder().build().read(new java.io.StringReader("1,88888888.9\n2,3\n"), "t");
        assertEquals(0, ds.numClasses());
        assertEquals(3, CsvReader.builder().build().read(new java.io.StringReader("1,2\n2,0\n"), "t").numClasses());
        assertEquals(1 << 24, CsvReader.builder().build().read(new java.io.StringReader("1," + ((1 << 24) - 1) + "\n"), "t").numClasses());
    }

    @Test
    void aHeaderOfNumbersIsRefusedAndColumnNamesAreReadAsTheHeaderIs() throws Exception {
        Path noHeader = Files.writeString(dir.resolve("noheader.csv"), "1,2,0\n3,4,1\n");
        CsvReader reader = CsvReader.builder().header(true).build();
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> reader.read(noHeader));
        assertTrue(e.getMessage().contains("the header row holds only numbers") && e.getMessage().contains(":1:"), e.getMessage());
        Path named = Files.writeString(dir.resolve("named.csv"), "\uFEFF\n a , \"b\",label\n1,2,0\n");
        assertEquals(java.util.List.of("a", "b", "label"), reader.columnNames(named));
        assertEquals(1, reader.read(named).size(), "a header with a number-like name among words is still a header");
    }
}
