package dev.regula.examples.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regula.core.data.FashionMnist;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class L1FirstLayerTest {
    @Test
    void l1OnTheFirstLayerZeroesItsWeightsOnly() throws IOException {
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIRECTORY), "Fashion-MNIST is not installed");
        FashionMnist full = FashionMnist.load(FashionMnist.DEFAULT_DIRECTORY, 500);
        FashionMnist data = new FashionMnist(full.train(), full.test().subset(0, 500));
        L1FirstLayer.Result plain = L1FirstLayer.run(data, 0, 2);
        L1FirstLayer.Result sparse = L1FirstLayer.run(data, 1e-2, 2);
        assertEquals(0.0, plain.firstLayerZeros(), "no penalty, no exact zeros");
        assertTrue(sparse.firstLayerZeros() > 0.1, "dense1 zeros " + sparse.firstLayerZeros());
        assertEquals(0.0, sparse.outputLayerZeros(), "the selector on=layer:dense1 must leave 'out' alone");
        assertTrue(sparse.testAccuracy() > 0.3, "still learns: " + sparse.testAccuracy());
    }
}
