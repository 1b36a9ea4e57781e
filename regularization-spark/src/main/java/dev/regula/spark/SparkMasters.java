package dev.regula.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Starts a {@link JavaSparkContext} for a master URL, failing fast and clearly when a standalone
 * master cannot be reached. (Spark itself returns a context at once and keeps retrying to register
 * in the background, so the first job would only hang.)
 */
public final class SparkMasters {
    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|[1-9]\\d*)(,\\d+)?])?"); // local[0] has no thread
    private static final int CONNECT_MILLIS = 5_000;

    private SparkMasters() {
    }

    /**
     * @param master {@code local}, {@code local[N]}, {@code local[*]}, {@code spark://host:port[,host:port]},
     *     {@code yarn} or {@code k8s://...}
     * @param appName the application name shown by the cluster manager
     * @param ui whether to start Spark's web UI
     * @return a new context; the caller stops it
     * @throws IllegalArgumentException if the master URL is malformed or no standalone master answers at it
     */
    public static JavaSparkContext start(String master, String appName, boolean ui) {
        checkReachable(master);
        SparkConf conf = new SparkConf().setMaster(master).setAppName(appName).set("spark.ui.enabled", Boolean.toString(ui));
        if (master.startsWith("local")) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        try {
            return new JavaSparkContext(conf);
        } catch (Exception e) { // Scala throws SparkException (checked in Java) undeclared
            if (e instanceof RuntimeException && !(e instanceof IllegalArgumentException)) throw (RuntimeException) e;
            throw new IllegalArgumentException("cannot start Spark with master '" + master + "': " + e.getMessage(), e);
        }
    }

    /**
     * Checks a master URL: a well-formed local master, or a standalone {@code spark://} master
     * whose every host:port accepts a TCP connection within 5 s. Other cluster managers (yarn,
     * k8s, mesos) are left to Spark.
     *
     * @param master the master URL
     * @throws IllegalArgumentException naming the URL, the address and the cause
     */
    public static void checkReachable(String master) {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("no Spark master given; use local[2] (two threads in this JVM) or spark://host:7077");
        }
        if (master.startsWith("local")) {
            if (!LOCAL.matcher(master).matches()) {
                throw new IllegalArgumentException("Spark master '" + master + "' is not valid; local masters are local, local[N] with N >= 1, local[*]");
            }
            return;
        }
        if (!master.startsWith("spark://")) return;
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            URI uri;
            try {
                uri = URI.create("spark://" + hostPort);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Spark master '" + master + "' is not a valid URL: " + e.getMessage(), e);
            }
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalArgumentException("Spark master '" + master + "' must name host and port, e.g. spark://master:7077");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), CONNECT_MILLIS);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot reach the Spark master " + master + " at " + uri.getHost() + ":" + uri.getPort()
                        + " (" + e.getMessage() + "); is the master running (sbin/start-master.sh) and the URL the one its log prints? "
                        + "For a run on this machine use local[2]", e);
            }
        }
    }
}
