/**
 * Regula's examples and the {@code regula} command line ({@link dev.regula.examples.cli.RegulaCommand}).
 *
 * <p>It declares {@code uses} for the regularizer service because it loads plugins from class
 * loaders of its own (plugin directories), not only through the API's lookups. Progress bars come
 * from {@code dev.regula.progress} (on {@code me.tongfei.progressbar}), PNG charts from JFreeChart
 * (an automatic module) drawn with {@code java.desktop}, which also runs headless.
 */
module dev.regula.examples {
    requires dev.regula.core;
    requires dev.regula.gan;
    requires info.picocli;
    requires dev.regula.progress;
    requires org.jfree.jfreechart;
    requires java.desktop;

    // the charts of regula's commands, for the runnable examples under examples/ to draw theirs
    exports dev.regula.examples.plot;

    opens dev.regula.examples.cli to info.picocli;

    uses dev.regula.api.regularizer.RegularizerProvider;
}
