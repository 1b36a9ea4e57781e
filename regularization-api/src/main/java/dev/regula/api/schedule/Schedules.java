package dev.regula.api.schedule;

/** The built-in schedule forms (package-private records behind {@link Schedule}). */
final class Schedules {
    private Schedules() {
    }

    record Constant(double value) implements Schedule {
        @Override
        public double valueAt(long step, int epoch) {
            return value;
        }

        @Override
        public String text() {
            return String.valueOf(value);
        }

        @Override
        public double[] extremes() {
            return new double[] {value};
        }
    }

    record Ramp(String form, double from, double to, long length, boolean byEpoch, boolean cosine) implements Schedule {
        @Override
        public double valueAt(long step, int epoch) {
            double t = Math.min(1.0, (byEpoch ? epoch : step) / (double) length);
            double w = cosine ? 0.5 * (1 - Math.cos(Math.PI * t)) : t;
            return from + (to - from) * w;
        }

        @Override
        public String text() {
            if (form.equals("warmup")) return "warmup(value=" + to + ", steps=" + length + ")";
            return form + "(from=" + from + ", to=" + to + ", " + (byEpoch ? "epochs=" : "steps=") + length + ")";
        }

        @Override
        public double[] extremes() {
            return new double[] {from, to};
        }
    }

    record StepDecay(double value, double gamma, int every) implements Schedule {
        @Override
        public double valueAt(long step, int epoch) {
            // 0 stays 0: with gamma > 1 the power overflows to ∞ and 0·∞ would be NaN
            return value == 0 ? 0 : value * Math.pow(gamma, epoch / every);
        }

        @Override
        public String text() {
            return every == 1 ? "exp(value=" + value + ", gamma=" + gamma + ")"
                    : "step(value=" + value + ", gamma=" + gamma + ", every=" + every + ")";
        }

        @Override
        public double[] extremes() {
            if (gamma <= 1) return new double[] {value, value * Math.pow(gamma, 1000)};
            // growing without bound, away from 0 in value's direction (0 stays 0, not 0·∞ = NaN)
            return new double[] {value, value == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, value)};
        }
    }
}
