package io.clstr.toxiproxy;

import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded Toxiproxy server as a program: {@code -host H -port P [-seed N]} like toxiproxy-server. Prints
 * one line when ready and stops cleanly on SIGTERM or SIGINT. Exit status: 2 for bad arguments, 1 when the API
 * address cannot be bound.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("clstr-toxiproxy: " + e.getMessage() + " (" + Options.USAGE + ")");
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(Options.USAGE);
            return;
        }
        ToxiproxyServer server;
        try {
            server = ToxiproxyServer.start(options.host(), options.port(), options.seed());
        } catch (UncheckedIOException | IllegalArgumentException e) {
            System.err.println("clstr-toxiproxy: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "clstr-toxiproxy-shutdown"));
        System.out.println("clstr-toxiproxy " + ApiServer.VERSION + " API listening on " + options.host() + ":"
                + server.port() + " (seed " + options.seed() + ")");
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
