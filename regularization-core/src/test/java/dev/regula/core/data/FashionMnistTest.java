package dev.regula.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regula.api.CorruptDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir
    Path dir;

    private void writeSplit(String prefix, int n, boolean gz) {
        double[] pixels = new double[n * 28 * 28];
        for (int i = 0; i < pixels.length; i++) pixels[i] = i % 256;
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) labels[i] = (i * 3) % 10;
        IdxFiles.write(dir.resolve(prefix + "-images-idx3-ubyte" + (gz ? ".gz" : "")), IdxType.U8,
                new int[] {n, 28, 28}, pixels, gz);
        IdxFiles.write(dir.resolve(prefix + "-labels-idx1-ubyte" + (gz ? ".gz" : "")), IdxType.U8,
                new int[] {n}, labels, gz);
    }

    @Test
    void missingDirectorySaysHowToInstall() {
        Path missing = dir.resolve("nope");
        DataNotFoundException e = assertThrows(DataNotFoundException.class, () -> FashionMnist.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("sudo apt-get install dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("FashionMnist.load(Path)"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        writeSplit("train", 3, true);
        DataNotFoundException e = assertThrows(DataNotFoundException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void loadsSmallFilesGzipAndRaw() throws Exception {
        writeSplit("train", 3, true);
        writeSplit("t10k", 2, false);
        FashionMnist f = FashionMnist.load(dir);
        assertArrayEquals(new int[] {3, 784}, f.train().features().shape());
        assertArrayEquals(new int[] {2, 784}, f.test().features().shape());
        assertEquals(10, f.train().numClasses());
        assertArrayEquals(new float[] {0, 3, 6}, f.train().labels().data());
        assertEquals(255 / 255f, f.train().features().get(0, 255));
        assertEquals(1 / 255f, f.test().features().get(0, 1), 1e-7f);
        assertEquals(2, FashionMnist.loadTest(dir).size());
    }

    @Test
    void aPartReadWithALimitStillComparesTheWholeCounts() {
        writeSplit("t10k", 2, false);
        writeSplit("train", 5, true);
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxType.U8, new int[] {4}, new double[4], true);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> FashionMnist.load(dir, 2));
        assertTrue(e.getMessage().contains("has 5 examples but") && e.getMessage().contains("has 4 labels"), e.getMessage());
    }

    @Test
    void wrongImageShapeIsCorrupt() {
        writeSplit("t10k", 2, false);
        IdxFiles.write(dir.resolve("train-images-idx3-ubyte"), IdxType.U8, new int[] {1, 2, 2}, new double[4], false);
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxType.U8, new int[] {1}, new double[1], false);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains("[n, 28, 28]") && e.getMessage().contains("[1, 2, 2]"), e.getMessage());
    }

    @Test
    void realFilesWhenInstalled() throws Exception {
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIRECTORY),
                "dataset-fashion-mnist is not installed (sudo apt-get install dataset-fashion-mnist)");
        // The test split only, to keep the suite fast; the training labels give the train count.
        Dataset test = FashionMnist.loadTest(FashionMnist.DEFAULT_DIRECTORY);
        assertArrayEquals(new int[] {10_000, 784}, test.features().shape());
        assertEquals(60_000, IdxReader.read(FashionMnist.DEFAULT_DIRECTORY.resolve("train-labels-idx1-ubyte.gz"), false)
                .size());
        int[] counts = new int[10];
        for (float y : test.labels().data()) counts[(int) y]++;
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, counts);
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : test.features().data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
    }
}
