package io.clstr.junit.testnode;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node for clstr's own tests: a small HTTP server (JDK only) that shows what the runtime gave it
 * and can be told to misbehave. Reads {@code ADDR}, {@code DATA_DIR} and, to misbehave,
 * {@code EXIT_AT_START=N} (exit at once), {@code FAIL_HEALTH=1} (never healthy),
 * {@code HEALTH_DELAY_MS} (healthy only that long after it starts listening), {@code STOP_DELAY_MS}
 * (take that long to shut down after SIGTERM) and {@code PRINT_BYTES=N} with {@code PRINT_LINE_BYTES=L}
 * (once listening, print N bytes of output in lines of L bytes, or in one line when L is 0).
 *
 * <pre>
 * GET  /health                 200 ok (503 while not healthy)
 * GET  /env                    {"ADDR":…, "PEERS":…, "ROUTES":…, "DATA_DIR":…, "CLSTR_RUN_ID":…, "cwd":…, "pid":n, "pgid":n}
 * GET  /env/NAME               the value of variable NAME, 404 if unset
 * PUT  /data/NAME              writes the body to DATA_DIR/NAME
 * GET  /data/NAME              the file's content, 404 if missing
 * GET  /call?to=H:P&amp;method=&amp;path=&amp;body=&amp;timeout=MS   one HTTP/1.1 request over a raw socket:
 *                              {"status":n, "body":…, "error":…, "elapsed-ms":n} (status -1 on failure)
 * POST /ingest                 counts the body's bytes; GET /ingested answers the total
 * POST /spawn-grandchild       starts a child shell that ignores SIGTERM; answers its pid once it does
 * POST /spawn-daemon           starts a shell that ignores SIGTERM in a session of its own (out of the
 *                              node's process group, as a daemon that forks twice and calls setsid); answers its pid
 * GET  /printed                "done N" once PRINT_BYTES are printed, else "printing N"
 * </pre>
 * Prints {@code listening on ADDR} at start and {@code METHOD PATH STATUS} for every request.
 */
public final class TestNode {
    /** When the node started listening: HEALTH_DELAY_MS counts from here. */
    private volatile long listeningNanos;

    private final Map<String, String> env = System.getenv();
    private final AtomicLong ingested = new AtomicLong();
    private final AtomicLong printed = new AtomicLong();
    private volatile boolean printingDone;

    private TestNode() {}

    public static void main(String[] args) throws IOException {
        new TestNode().run();
    }

    private void run() throws IOException {
        String exitAtStart = env.get("EXIT_AT_START");
        if (exitAtStart != null) {
            System.err.println("exiting with code " + exitAtStart + " as EXIT_AT_START asks");
            System.exit(Integer.parseInt(exitAtStart));
        }
        String addr = require("ADDR");
        int port = Integer.parseInt(addr.substring(addr.lastIndexOf(':') + 1));
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 100);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        long stopDelay = Long.parseLong(env.getOrDefault("STOP_DELAY_MS", "0"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopping(stopDelay)));
        listeningNanos = System.nanoTime();
        server.start();
        System.out.println("listening on " + addr);
        long toPrint = Long.parseLong(env.getOrDefault("PRINT_BYTES", "0"));
        if (toPrint > 0) {
            Thread printer =
                    new Thread(() -> print(toPrint, Integer.parseInt(env.getOrDefault("PRINT_LINE_BYTES", "0"))));
            printer.setDaemon(true);
            printer.start();
        }
    }

    /** Prints {@code total} bytes of 'x' in lines of {@code lineBytes} (the line break included), or in one line when 0. */
    private void print(long total, int lineBytes) {
        byte[] chunk = new byte[1 << 20];
        java.util.Arrays.fill(chunk, (byte) 'x');
        if (lineBytes > 0) {
            for (int i = lineBytes - 1; i < chunk.length; i += lineBytes) {
                chunk[i] = '\n';
            }
        }
        java.io.PrintStream out = System.out;
        while (printed.get() < total) {
            int n = (int) Math.min(chunk.length, total - printed.get());
            if (lineBytes > 0) {
                n -= n % lineBytes; // whole lines only
                n = Math.max(n, lineBytes);
            }
            out.write(chunk, 0, n);
            printed.addAndGet(n);
        }
        out.println();
        out.flush();
        printingDone = true;
    }

    private static void stopping(long delayMillis) {
        System.out.println("stopping (SIGTERM)");
        if (delayMillis > 0) {
            long deadline = System.nanoTime() + delayMillis * 1_000_000;
            while (System.nanoTime() - deadline < 0) {
                try {
                    // simulates slow cleanup work; nothing waits on it
                    Thread.sleep(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        System.out.println("stopped");
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        Reply reply;
        try {
            reply = route(exchange, method, path);
        } catch (IOException | RuntimeException e) {
            reply = new Reply(500, e.toString());
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders()
                .set("Content-Type", reply.body().startsWith("{") ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        System.out.println(method + " " + path + " " + reply.status());
    }

    private record Reply(int status, String body) {}

    private Reply route(HttpExchange exchange, String method, String path) throws IOException {
        if (method.equals("GET") && path.equals("/health")) {
            return health();
        }
        if (method.equals("GET") && path.equals("/printed")) {
            return new Reply(200, (printingDone ? "done " : "printing ") + printed.get());
        }
        if (method.equals("GET") && path.equals("/env")) {
            return new Reply(200, environment());
        }
        if (method.equals("GET") && path.startsWith("/env/")) {
            String value = env.get(path.substring("/env/".length()));
            return value == null ? new Reply(404, "unset") : new Reply(200, value);
        }
        if (path.startsWith("/data/")) {
            return data(exchange, method, path.substring("/data/".length()));
        }
        if (method.equals("GET") && path.equals("/call")) {
            return new Reply(200, call(query(exchange.getRequestURI().getRawQuery())));
        }
        if (method.equals("POST") && path.equals("/ingest")) {
            long count = count(exchange.getRequestBody());
            ingested.addAndGet(count);
            return new Reply(200, Long.toString(count));
        }
        if (method.equals("GET") && path.equals("/ingested")) {
            return new Reply(200, Long.toString(ingested.get()));
        }
        if (method.equals("POST") && path.equals("/spawn-grandchild")) {
            Process child = new ProcessBuilder("sh", "-c", "trap '' TERM; echo ignoring; while true; do sleep 1; done")
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            // its pid only once the shell ignores SIGTERM: a stop sent before its trap would end it at once
            new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
            return new Reply(200, Long.toString(child.pid()));
        }
        if (method.equals("POST") && path.equals("/spawn-daemon")) {
            Process parent = new ProcessBuilder(
                            "sh",
                            "-c",
                            "setsid sh -c 'trap \"\" TERM; while true; do sleep 1; done' </dev/null >/dev/null 2>&1 & "
                                    + "echo $!")
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String pid = new String(parent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return new Reply(200, pid);
        }
        return new Reply(404, "no route for " + method + " " + path);
    }

    private Reply health() {
        if ("1".equals(env.get("FAIL_HEALTH"))) {
            return new Reply(503, "never healthy (FAIL_HEALTH=1)");
        }
        long delayMillis = Long.parseLong(env.getOrDefault("HEALTH_DELAY_MS", "0"));
        if (System.nanoTime() - listeningNanos < delayMillis * 1_000_000) {
            return new Reply(503, "starting");
        }
        return new Reply(200, "ok");
    }

    private String environment() throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String name : new String[] {"ADDR", "PEERS", "ROUTES", "DATA_DIR", "CLSTR_RUN_ID"}) {
            fields.put(name, env.get(name));
        }
        fields.put("cwd", Path.of("").toAbsolutePath().toString());
        fields.put("pid", ProcessHandle.current().pid());
        fields.put("pgid", ownProcessGroup());
        return Json.object(fields);
    }

    private static long ownProcessGroup() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[2]);
    }

    private Reply data(HttpExchange exchange, String method, String name) throws IOException {
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            return new Reply(400, "bad name: " + name);
        }
        Path file = Path.of(require("DATA_DIR")).resolve(name);
        if (method.equals("PUT")) {
            Files.write(file, exchange.getRequestBody().readAllBytes());
            return new Reply(200, "stored");
        }
        if (method.equals("GET")) {
            try {
                return new Reply(200, Files.readString(file, StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                return new Reply(404, "no " + name);
            }
        }
        return new Reply(405, "use GET or PUT");
    }

    /** One request over a raw socket, so that a black-holed route simply times out. */
    private static String call(Map<String, String> q) {
        long start = System.nanoTime();
        int timeoutMillis = Integer.parseInt(q.getOrDefault("timeout", "1000"));
        long deadline = start + timeoutMillis * 1_000_000L;
        Map<String, Object> result = new LinkedHashMap<>();
        String to = q.getOrDefault("to", "");
        int colon = to.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            if (colon < 0) {
                throw new IOException("to must be host:port, was '" + to + "'");
            }
            socket.connect(
                    new InetSocketAddress(to.substring(0, colon), Integer.parseInt(to.substring(colon + 1))),
                    timeoutMillis);
            byte[] body = q.getOrDefault("body", "").getBytes(StandardCharsets.UTF_8);
            String head = q.getOrDefault("method", "GET") + " " + q.getOrDefault("path", "/") + " HTTP/1.1\r\n"
                    + "Host: " + to + "\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            String response = readResponse(socket, deadline);
            int headerEnd = response.indexOf("\r\n\r\n");
            String statusLine = response.substring(0, response.indexOf("\r\n"));
            result.put("status", Integer.parseInt(statusLine.split(" ")[1]));
            result.put("body", headerEnd < 0 ? "" : response.substring(headerEnd + 4));
            result.put("error", null);
        } catch (IOException | RuntimeException e) {
            result.put("status", -1);
            result.put("body", "");
            result.put("error", e.toString());
        }
        result.put("elapsed-ms", (System.nanoTime() - start) / 1_000_000);
        return Json.object(result);
    }

    /** Reads until the body is complete (Content-Length) or the peer closes, within the deadline. */
    private static String readResponse(Socket socket, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("no complete answer within the timeout");
            }
            socket.setSoTimeout(
                    (int) Math.max(1, (left + 999_999) / 1_000_000)); // rounded up: never short of the timeout
            int n = in.read(buffer);
            if (n == -1) {
                break;
            }
            bytes.write(buffer, 0, n);
            String sofar = bytes.toString(StandardCharsets.ISO_8859_1);
            int headerEnd = sofar.indexOf("\r\n\r\n");
            if (headerEnd >= 0) {
                long length = contentLength(sofar.substring(0, headerEnd));
                if (length >= 0 && bytes.size() - headerEnd - 4 >= length) {
                    break;
                }
            }
        }
        if (bytes.size() == 0) {
            throw new IOException("connection closed without an answer");
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                return Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        return -1;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            q.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return q;
    }

    private static long count(InputStream in) throws IOException {
        byte[] buffer = new byte[65536];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
        }
        return total;
    }

    private String require(String name) {
        String value = env.get(name);
        if (value == null || value.isEmpty()) {
            System.err.println("the environment variable " + name + " is missing");
            System.exit(64);
        }
        return value;
    }
}
