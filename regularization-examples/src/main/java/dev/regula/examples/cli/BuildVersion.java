package dev.regula.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The text of {@code regula -V}: the version this build was made as ({@code project.version} of
 * the Maven build, written into {@code build.properties} next to this class), and the Java runtime.
 */
public final class BuildVersion implements CommandLine.IVersionProvider {
    static final String RESOURCE = "build.properties";

    /** Creates the provider (picocli instantiates it). */
    public BuildVersion() {
    }

    /**
     * @return the version of this build, e.g. {@code 0.1.0-SNAPSHOT}
     * @throws IllegalStateException if the build did not write {@code build.properties} (a broken jar)
     */
    public static String version() {
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no " + RESOURCE + " next to " + BuildVersion.class.getName()
                        + ": this jar was not built by Maven");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "");
            if (v.isBlank() || v.contains("${")) {
                throw new IllegalStateException(RESOURCE + " has no filtered version (" + v + "): this jar was not built by Maven");
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "regula " + version(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + ")"
        };
    }
}
