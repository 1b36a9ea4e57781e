package dev.regula.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The pieces of e^t on double lanes, from operations whose results IEEE 754 fixes bit for bit
 * (add, multiply, fused multiply-add, compares, integer and bit operations), for the SIMD tanh
 * and σ.
 *
 * <p>Not the Vector API's {@code EXP}: that one is computed lane by lane with {@link Math} until
 * C2 compiles the caller and by the short vector math library afterwards, and the two differ in
 * the last bit, so a kernel using it would give other results before and after compilation, and
 * a training run would not be reproducible from its seed. This one gives the same bits
 * interpreted and compiled, at every vector width of 256 bits or more (narrower, the kernels use
 * the scalar reference). It needs hardware FMA to be fast: without it (-XX:-UseFMA) the Vector
 * API computes each lane's FMA exactly in software, as it does in the GEMM kernels.
 *
 * <p>Method: t = n·ln 2 + r with n = round(t/ln 2) (by the 1.5·2^52 shifter) and |r| ≤ ln 2 / 2
 * (Cody–Waite, ln 2 in two parts), e^r by its Taylor polynomial to degree 9 (truncation below
 * 2e-11 relative), and 2^n made from its bits. That is far below a float's 6e-8, so the float
 * results of tanh and σ computed from it in double are within one ulp of the correctly rounded
 * ones (over every 4099th float bit pattern, one tanh and one σ of about a million differ from
 * the scalar reference's, by one ulp).
 *
 * <p>The steps are spelled out in the kernels' loops ({@link Activations}) with the constants and
 * {@link #twoTo}: C2 must compile a kernel's loop as one unit, or every vector between two calls
 * it did not inline is boxed, and it did not inline methods of more than 35 bytecodes there (not
 * even the 67 of the polynomial alone).
 */
final class DoubleExp {
    /** The preferred double species. */
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /**
     * Float lanes in the same count as {@link #D}'s (half its width); null when D has fewer than 4
     * lanes, where the float vector would be 64-bit, which C2 does not compile (a kernel then ran
     * 40 to 90 ns per element, boxed), and the kernels use the scalar reference instead.
     */
    static final VectorSpecies<Float> F_OF_D = floatsOfDoubleLanes();

    /** Below this e^t is under 1e-304: any smaller argument gives the same float results. */
    static final double MIN_ARGUMENT = -700;
    static final DoubleVector LOG2_E = DoubleVector.broadcast(D, 1.4426950408889634);
    /** ln 2 = LN2_HI + LN2_LO, negated; LN2_HI has 32 significant bits (fdlibm's split). */
    static final DoubleVector MINUS_LN2_HI = DoubleVector.broadcast(D, -6.93147180369123816490e-01);
    static final DoubleVector MINUS_LN2_LO = DoubleVector.broadcast(D, -1.90821492927058770002e-10);
    /** 1.5·2^52: adding it rounds to an integer kept in the low mantissa bits. */
    static final DoubleVector SHIFTER = DoubleVector.broadcast(D, 0x1.8p52);
    private static final long SHIFTER_BITS_MINUS_BIAS = Double.doubleToRawLongBits(0x1.8p52) - 1023;
    /** 1/k!, the Taylor coefficients of e^r. */
    static final DoubleVector C2 = DoubleVector.broadcast(D, 1.0 / 2);
    static final DoubleVector C3 = DoubleVector.broadcast(D, 1.0 / 6);
    static final DoubleVector C4 = DoubleVector.broadcast(D, 1.0 / 24);
    static final DoubleVector C5 = DoubleVector.broadcast(D, 1.0 / 120);
    static final DoubleVector C6 = DoubleVector.broadcast(D, 1.0 / 720);
    static final DoubleVector C7 = DoubleVector.broadcast(D, 1.0 / 5040);
    static final DoubleVector C8 = DoubleVector.broadcast(D, 1.0 / 40320);
    static final DoubleVector C9 = DoubleVector.broadcast(D, 1.0 / 362880);
    /** 1 as a vector. */
    static final DoubleVector ONE = DoubleVector.broadcast(D, 1);

    private DoubleExp() {
    }

    private static VectorSpecies<Float> floatsOfDoubleLanes() {
        if (D.length() < 4) return null;
        VectorSpecies<Float> floats = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
        return floats.length() == D.length() ? floats : null; // not so where half of D is no vector shape
    }

    /** @return 2^n, for the lanes of {@code shifted} = n + 1.5·2^52 (n ≥ −1022) */
    static DoubleVector twoTo(DoubleVector shifted) {
        return shifted.reinterpretAsLongs().sub(SHIFTER_BITS_MINUS_BIAS).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
    }
}
