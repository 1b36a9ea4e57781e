package dev.regula.core.regularizer.noise;

/** Run-time check of a drop-probability schedule's value (the spec check covers its extremes). */
final class DropProbability {
    private DropProbability() {
    }

    /**
     * @param regularizer the regularizer name
     * @param where the layer or parameter name
     * @param p the value now
     * @return p as a float
     * @throws dev.regula.api.spec.SpecException if p is outside [0, 1) (a schedule out of range: bad usage)
     */
    static float check(String regularizer, String where, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new dev.regula.api.spec.SpecException(regularizer + " at '" + where + "': p=" + p + " is out of range; allowed: [0, 1)");
        }
        return (float) p;
    }
}
