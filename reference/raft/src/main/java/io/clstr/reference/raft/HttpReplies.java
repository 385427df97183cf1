package io.clstr.reference.raft;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Sending an answer on a JDK {@link HttpExchange}, and closing it whatever happens. */
public final class HttpReplies {

    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String JSON = "application/json";

    private HttpReplies() {}

    public static void send(HttpExchange exchange, int status, String contentType, String body) {
        send(exchange, status, contentType, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    public static void send(HttpExchange exchange, int status, String contentType, byte[] body) {
        try {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            boolean withBody = body.length > 0 && !exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, withBody ? body.length : -1);
            if (withBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // the client went away; nothing to tell it
        } finally {
            exchange.close();
        }
    }
}
