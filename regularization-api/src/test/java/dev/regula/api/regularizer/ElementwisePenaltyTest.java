package dev.regula.api.regularizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.spec.SpecException;
import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.api.tensor.Tensor;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** The plugin author's bases: a penalty in a few lines, and a provider that is its constructor. */
class ElementwisePenaltyTest {
    /** r(x) = log cosh(x / c)·c², r′(x) = c·tanh(x / c): a smooth L1 of another shape. */
    static final class LogCosh extends ElementwisePenalty {
        private final double c;

        LogCosh(SpecArguments args) {
            super(args);
            this.c = args.number("c");
        }

        @Override
        protected double value(double x) {
            return c * c * Math.log(Math.cosh(x / c));
        }

        @Override
        protected double derivative(double x) {
            return c * Math.tanh(x / c);
        }
    }

    /** Public with a no-argument constructor, as ServiceLoader needs. */
    public static final class LogCoshProvider extends AbstractRegularizerProvider {
        public LogCoshProvider() {
            super("log-cosh penalty (test)", SpecSchema.of("regularizer", "log-cosh",
                    SpecKey.schedule("lambda", "1e-3", 0, Double.POSITIVE_INFINITY, "strength"),
                    SpecKey.number("c", "0.5", 0, false, Double.POSITIVE_INFINITY, false, "scale"),
                    SpecKey.selector("weights")), LogCosh::new);
        }
    }

    private final LogCoshProvider provider = new LogCoshProvider();

    private ElementwisePenalty create(String spec) {
        return assertInstanceOf(ElementwisePenalty.class, provider.create(Spec.parse(spec)));
    }

    /** A context whose kernels throw: the base class must not need core. */
    private static StepContext train(long step) {
        Kernels none = (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(), new Class<?>[] {Kernels.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "toString", "name" -> "no-kernels";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException("Kernels." + method.getName());
                });
        return new StepContext(Mode.TRAIN, step, 0, 0.1, 7L, none);
    }

    private static Parameter weight(float... values) {
        return new Parameter("dense1", "weight", ParameterRole.WEIGHT, Tensor.of(values, values.length));
    }

    @Test
    void accessorsComeFromTheSpecWithDefaults() {
        ElementwisePenalty r = create("LOG-COSH(c=2)");
        assertEquals("log-cosh", r.name());
        assertEquals("log-cosh(c=2, lambda=1e-3, on=weights)", r.spec());
        assertEquals(r.spec(), r.toString());
        assertEquals(Stage.GRADIENT, r.stage());
        assertTrue(r.selector().test(weight(1f)));
        assertFalse(r.selector().test(new Parameter("dense1", "bias", ParameterRole.BIAS, Tensor.zeros(1))));
        assertEquals(r.spec(), provider.create(Spec.parse(r.spec())).spec(), "the spec recreates it");
        assertNotSame(provider.create(Spec.parse("log-cosh")), provider.create(Spec.parse("log-cosh")));
    }

    @Test
    void penaltyIsLambdaTimesTheSumAndApplyAddsLambdaTimesTheDerivative() {
        ElementwisePenalty r = create("log-cosh(lambda=3, c=0.5)");
        float[] v = {0f, 0.25f, -1f, 4f};
        Parameter p = weight(v.clone());
        double sum = 0;
        for (float x : v) sum += 0.25 * Math.log(Math.cosh(x / 0.5));
        assertEquals(3 * sum, r.penalty(p, train(0)), 1e-12);
        p.grad().fill(1f);
        r.apply(p, train(0));
        for (int i = 0; i < v.length; i++) {
            assertEquals(1 + 3 * 0.5 * Math.tanh(v[i] / 0.5), p.grad().get(i), 1e-6);
        }
        assertArrayEquals(v, p.value().data(), "the GRADIENT stage must not change θ");
    }

    @Test
    void gradientMatchesFiniteDifferencesOfThePenalty() {
        ElementwisePenalty r = create("log-cosh(lambda=0.7, c=0.3)");
        Parameter p = weight(-0.9f, -0.2f, 0f, 0.05f, 0.4f, 1.3f);
        float[] v = p.value().data();
        p.zeroGrad();
        r.apply(p, train(0));
        float[] analytic = p.grad().data().clone();
        float eps = 1e-3f;
        for (int i = 0; i < v.length; i++) {
            float old = v[i];
            v[i] = old + eps;
            double plus = r.penalty(p, train(0));
            v[i] = old - eps;
            double minus = r.penalty(p, train(0));
            v[i] = old;
            double numeric = (plus - minus) / ((double) (old + eps) - (double) (old - eps));
            assertEquals(numeric, analytic[i], 1e-4 + 1e-2 * Math.abs(numeric), "element " + i);
        }
    }

    @Test
    void followsTheScheduleAndDoesNothingAtLambdaZero() {
        ElementwisePenalty r = create("log-cosh(lambda=linear(from=0, to=1, steps=10), c=1)");
        Parameter p = weight(2f);
        assertEquals(0, r.penalty(p, train(0)));
        r.apply(p, train(0));
        assertEquals(0f, p.grad().get(0));
        assertEquals(0.5 * Math.log(Math.cosh(2)), r.penalty(p, train(5)), 1e-9);
    }

    @Test
    void providerRefusesAnotherNameUnknownKeysAndOutOfRangeValues() {
        SpecException other = assertThrows(SpecException.class, () -> provider.create(Spec.parse("l2(lambda=1)")));
        assertTrue(other.getMessage().contains("log-cosh") && other.getMessage().contains("l2"), other.getMessage());
        SpecException typo = assertThrows(SpecException.class, () -> provider.create(Spec.parse("log-cosh(lamda=1)")));
        assertTrue(typo.getMessage().contains("lambda"), typo.getMessage());
        SpecException range = assertThrows(SpecException.class, () -> provider.create(Spec.parse("log-cosh(c=0)")));
        assertTrue(range.getMessage().contains("(0, +inf)"), range.getMessage());
        assertEquals("log-cosh", provider.name());
        assertEquals("log-cosh penalty (test)", provider.description());
    }

    @Test
    void aSchemaWithoutLambdaIsAnErrorOfThePluginNamingTheKey() {
        AbstractRegularizerProvider broken = new AbstractRegularizerProvider("no lambda",
                SpecSchema.of("regularizer", "broken", SpecKey.selector("weights")), LogCosh::new) { };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> broken.create(Spec.parse("broken")));
        assertTrue(e.getMessage().contains("lambda"), e.getMessage());
    }
}
