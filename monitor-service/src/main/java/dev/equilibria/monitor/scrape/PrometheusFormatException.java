package dev.equilibria.monitor.scrape;

/** A scrape body that is not valid Prometheus text format. */
public class PrometheusFormatException extends RuntimeException {

    public PrometheusFormatException(String message) {
        super(message);
    }
}
