/**
 * A user's application of Regula: it trains a small network with Regula's built-in regularizers
 * and one of its own, {@code cauchy}, which it publishes like any third-party plugin.
 */
module org.example.consumer {
    requires dev.regula.core;

    provides dev.regula.api.regularizer.RegularizerProvider with org.example.consumer.CauchyProvider;
}
