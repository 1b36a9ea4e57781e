package dev.regula.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.PluginException;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.RegularizerProvider;
import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecException;
import dev.regula.api.spec.SpecSchema;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Plugin faults: duplicate names in any case, failing loads and creates, each naming the provider and its origin. */
class ProviderIndexTest {
    /** A provider with a given name whose create does what it is told. */
    record Fake(String name, Function<Spec, Regularizer> make) implements RegularizerProvider {
        @Override
        public String description() {
            return "fake";
        }

        @Override
        public SpecSchema schema() {
            return SpecSchema.of("regularizer", name);
        }

        @Override
        public Regularizer create(Spec spec) {
            return make.apply(spec);
        }
    }

    /** Another class, so that two providers of one name are two origins. */
    record Other(String name) implements RegularizerProvider {
        @Override
        public String description() {
            return "other";
        }

        @Override
        public SpecSchema schema() {
            return SpecSchema.of("regularizer", name);
        }

        @Override
        public Regularizer create(Spec spec) {
            return null;
        }
    }

    @Test
    void aDuplicateNameInAnyCaseIsRefusedNamingBothOrigins() {
        for (String clash : List.of("l2", "L2")) {
            PluginException e = assertThrows(PluginException.class,
                    () -> new ProviderIndex<RegularizerProvider>("regularizer", List.of(new Fake("l2", s -> null), new Other(clash))));
            assertTrue(e.getMessage().contains(Fake.class.getName()) && e.getMessage().contains(Other.class.getName()), e.getMessage());
            assertTrue(e.getMessage().contains("case-insensitive"), e.getMessage());
        }
    }

    @Test
    void lookupIsCaseInsensitiveSoNoProviderIsUnreachable() {
        Fake upper = new Fake("MyReg", s -> null);
        ProviderIndex<RegularizerProvider> index = new ProviderIndex<>("regularizer", List.of(upper));
        assertSame(upper, index.get("myreg"));
    }

    @Test
    void aProviderThatCannotBeLoadedIsAPluginException() {
        Iterable<RegularizerProvider> broken = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public RegularizerProvider next() {
                throw new ServiceConfigurationError("com.acme.Broken: Provider could not be instantiated");
            }
        };
        PluginException e = assertThrows(PluginException.class, () -> new ProviderIndex<>("regularizer", broken));
        assertTrue(e.getMessage().contains("com.acme.Broken"), e.getMessage());
    }

    @Test
    void createThatThrowsOrReturnsNullIsNamedButSpecErrorsPassThrough() {
        ProviderIndex<RegularizerProvider> index = new ProviderIndex<>("regularizer", List.of(
                new Fake("boom", s -> {
                    throw new IllegalStateException("kaput");
                }),
                new Fake("nothing", s -> null),
                new Fake("strict", s -> {
                    throw new SpecException("bad key");
                })));
        PluginException thrown = assertThrows(PluginException.class, () -> index.create(Spec.parse("boom"), Regularizer.class));
        assertTrue(thrown.getMessage().contains("'boom'") && thrown.getMessage().contains(Fake.class.getName())
                && thrown.getMessage().contains("kaput"), thrown.getMessage());
        PluginException none = assertThrows(PluginException.class, () -> index.create(Spec.parse("nothing"), Regularizer.class));
        assertTrue(none.getMessage().contains("returned null"), none.getMessage());
        assertEquals("bad key", assertThrows(SpecException.class, () -> index.create(Spec.parse("strict"), Regularizer.class)).getMessage());
    }

    @Test
    void originNamesTheModuleOrClassPathAndTheJar() {
        String origin = PluginException.origin(Fake.class);
        assertTrue(origin.startsWith("class " + Fake.class.getName()), origin);
        assertTrue(origin.contains("module") || origin.contains("class path"), origin);
    }
}
