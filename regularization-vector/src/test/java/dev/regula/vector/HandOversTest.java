package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The width of the sharpest hand-over between two mixture components, against the closed form. */
class HandOversTest {
    /** Two components of equal weight and σ at ±a: they cross at 0, where a_1' − a_2' = 2a/σ². */
    private static double[][] pair(double a, double sigma, double pi) {
        double tau = 1 / (sigma * sigma);
        double w = Math.log(pi) + 0.5 * Math.log(tau) - 0.5 * Math.log(2 * Math.PI);
        return new double[][] {{-a, a}, {tau / 2, tau / 2}, {w, w}};
    }

    @Test
    void twoComponentsManySigmaApartHandOverWithinSigmaSquaredOverTheirDistance() {
        double[][] m = pair(0.03, 0.004, 0.5);
        double width = HandOvers.narrowest(2, m[0], m[1], m[2], -1, 1, 0);
        assertEquals(0.004 * 0.004 / (2 * 0.03), width, 1e-12);
    }

    @Test
    void aCrossingOutsideTheValuesRangeOrWithoutMassCountsNot() {
        double[][] m = pair(0.03, 0.004, 0.5);
        assertEquals(Double.POSITIVE_INFINITY, HandOvers.narrowest(2, m[0], m[1], m[2], 0.001, 1, 0));
        // at the crossing the mixture's density is 2·0.5·N(0.03 | 0, σ²), about 4e-11: no share of the mass
        assertEquals(Double.POSITIVE_INFINITY, HandOvers.narrowest(2, m[0], m[1], m[2], -1, 1, 1e-6));
        double[][] near = pair(0.006, 0.004, 0.5); // 1.5σ apart: plenty of mass at the crossing
        assertEquals(0.004 * 0.004 / (2 * 0.006), HandOvers.narrowest(2, near[0], near[1], near[2], -1, 1, 1e-3), 1e-12);
    }

    @Test
    void aPairFarBelowAThirdComponentHandsNothingOver() {
        double[][] m = pair(0.03, 0.004, 1e-12);
        double tau = 1 / (0.001 * 0.001); // a third, heavy and narrow, at the pair's crossing
        double[] mu = {m[0][0], m[0][1], 0};
        double[] halfTau = {m[1][0], m[1][1], tau / 2};
        double[] w = {m[2][0], m[2][1], Math.log(1.0) + 0.5 * Math.log(tau) - 0.5 * Math.log(2 * Math.PI)};
        double width = HandOvers.narrowest(3, mu, halfTau, w, -1, 1, 0);
        // what remains are the third component's own hand-overs to the pair, far sharper than σ²/(2a)
        assertEquals(true, width < 0.004 * 0.004 / (2 * 0.03));
    }
}
