package dev.regula.examples.recipes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.core.data.Dataset;
import org.junit.jupiter.api.Test;

class L2LinearRegressionTest {
    @Test
    void weightsShrinkAsLambdaGrows() {
        Dataset train = L2LinearRegression.data(100, 3);
        double none = L2LinearRegression.fit(train, 0, 10).weightNorm();
        double some = L2LinearRegression.fit(train, 1, 10).weightNorm();
        double strong = L2LinearRegression.fit(train, 10, 10).weightNorm();
        assertTrue(none > some && some > strong, "|w| should fall with lambda: " + none + ", " + some + ", " + strong);
        // Without a penalty, gradient descent finds the true weights' scale (|w*| = 3.78).
        assertTrue(Math.abs(none - 3.78) < 0.4, "unpenalised |w| " + none);
    }
}
