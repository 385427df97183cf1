package io.clstr.cli.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The learner's server of the demo challenge: listens on the port of {@code ADDR} and answers
 * {@code GET /health}, {@code GET /hello} and {@code POST /echo}. Environment switches make it
 * misbehave the way the CLI tests need: {@code DEMO_BUG=hello|echo} answers wrongly,
 * {@code DEMO_HEALTH=never} never becomes healthy, {@code DEMO_SLOW_HELLO=<seconds>} delays
 * {@code /hello}, and {@code DEMO_PID_FILE} names a file the server writes its pid to once it listens.
 */
public final class DemoServer {

    private DemoServer() {}

    public static void main(String[] args) throws IOException {
        String addr = System.getenv("ADDR");
        int port = Integer.parseInt(addr.substring(addr.lastIndexOf(':') + 1));
        String bug = System.getenv().getOrDefault("DEMO_BUG", "");
        boolean healthy = !"never".equals(System.getenv("DEMO_HEALTH"));
        Duration slowHello = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("DEMO_SLOW_HELLO", "0")));

        HttpServer server = HttpServer.create(new InetSocketAddress(port), 50);
        server.createContext("/health", ex -> reply(ex, healthy ? 200 : 503, healthy ? "ok" : "starting"));
        server.createContext("/hello", ex -> {
            pause(slowHello);
            reply(ex, 200, bug.equals("hello") ? "bye" : "hello");
        });
        server.createContext("/echo", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            reply(
                    ex,
                    200,
                    bug.equals("echo") ? new StringBuilder(body).reverse().toString() : body);
        });
        server.start();
        System.out.println("demo server listening on " + addr + (bug.isEmpty() ? "" : " with bug " + bug));
        if (!healthy) {
            System.out.println("demo server: waiting for a database that never comes");
        }
        String pidFile = System.getenv("DEMO_PID_FILE");
        if (pidFile != null) {
            Files.writeString(
                    Path.of(pidFile), Long.toString(ProcessHandle.current().pid()));
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
