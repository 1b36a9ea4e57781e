package dev.regula.gan.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
    private static double[][] randomSymmetric(long seed, int n, boolean psd) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] b = new double[n][n];
        for (double[] row : b) for (int j = 0; j < n; j++) row[j] = r.nextDouble(-1, 1);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += psd ? b[i][k] * b[j][k] : 0;
                a[i][j] = psd ? s : b[i][j] + b[j][i];
            }
        }
        return a;
    }

    @Test
    void reconstructsTheMatrixWithOrthonormalVectors() {
        int n = 9;
        double[][] a = randomSymmetric(1, n, false);
        SymmetricEigen e = SymmetricEigen.of(a);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double rec = 0;
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    rec += e.vectors[i][k] * e.values[k] * e.vectors[j][k];
                    dot += e.vectors[k][i] * e.vectors[k][j];
                }
                assertEquals(a[i][j], rec, 1e-10, "A[" + i + "][" + j + "]");
                assertEquals(i == j ? 1 : 0, dot, 1e-10, "VᵀV[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void squareRootSquaresBack() {
        int n = 7;
        double[][] a = randomSymmetric(2, n, true);
        double[][] root = SymmetricEigen.of(a).sqrtMatrix();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += root[i][k] * root[k][j];
                assertEquals(a[i][j], s, 1e-9);
            }
        }
    }

    @Test
    void diagonalMatrixIsItsOwnDecomposition() {
        SymmetricEigen e = SymmetricEigen.of(new double[][] {{3, 0}, {0, -2}});
        assertEquals(3, e.values[0], 0);
        assertEquals(-2, e.values[1], 0);
    }
}
