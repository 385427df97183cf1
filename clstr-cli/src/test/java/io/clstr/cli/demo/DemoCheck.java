package io.clstr.cli.demo;

import io.clstr.junit.Node;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.opentest4j.AssertionFailedError;

/** A tiny HTTP check for the demo stages, failing with a message in clstr's shape. */
final class DemoCheck {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private DemoCheck() {}

    /** Sends {@code method path} with {@code body} to {@code node} and expects 200 with {@code expected}. */
    static void expect(Node node, String method, String path, String body, String expected, String hint) {
        URI uri = node.uri().resolve(path);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        String actual;
        int status;
        try {
            HttpResponse<String> response =
                    HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            status = response.statusCode();
            actual = response.body();
        } catch (IOException e) {
            status = 0;
            actual = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionFailedError("interrupted");
        }
        if (status != 200 || !expected.equals(actual)) {
            throw new AssertionFailedError(
                    method + " " + path + " → expected 200 \"" + expected + "\"\n"
                            + "  " + node.name() + " (" + node.uri() + "): " + status + " \"" + actual + "\"\n"
                            + "Hint: " + hint,
                    "200 \"" + expected + "\"",
                    status + " \"" + actual + "\"");
        }
    }
}
