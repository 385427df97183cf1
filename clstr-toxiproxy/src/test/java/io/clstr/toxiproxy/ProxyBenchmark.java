package io.clstr.toxiproxy;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Measures what the embedded proxy costs small HTTP requests over keep-alive connections on loopback: throughput
 * with a few concurrent connections and the median round trip of one connection, directly, through a proxy
 * without toxics and, when haproxy is on the PATH, through haproxy in mode tcp with one thread (the reference a
 * userspace TCP proxy is held to). Not a test; run it with {@code bench/proxy.sh} or
 * {@code mvn -q -o -pl clstr-toxiproxy test-compile exec:java -Dexec.mainClass=io.clstr.toxiproxy.ProxyBenchmark
 * -Dexec.classpathScope=test} (arguments: connections, seconds per round, rounds).
 */
public final class ProxyBenchmark {
    private static final byte[] REQUEST =
            "GET /health HTTP/1.1\r\nHost: bench\r\nConnection: keep-alive\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
                    + "\r\nok")
            .getBytes(StandardCharsets.US_ASCII);

    private ProxyBenchmark() {}

    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    /** One way to the server: its port, and the CPU time of whatever runs outside this JVM on the way (haproxy). */
    private record Route(String name, int port, LongSupplier outsideCpuNanos) {}

    /** Runs the benchmark with {@code args} as {@link #main}'s, printing to {@code out}. */
    static void run(String[] args, PrintStream out) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2.0;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int latencyRequests = args.length > 3 ? Integer.parseInt(args[3]) : 5000;
        try (KeepAliveServer http = new KeepAliveServer();
                ToxiproxyServer toxiproxy = ToxiproxyServer.start("127.0.0.1", 0, 1);
                Haproxy haproxy = Haproxy.start(http.port(), out)) {
            String listen = new ToxiproxyClient(toxiproxy.host(), toxiproxy.port())
                    .createProxy("bench", "127.0.0.1:0", "127.0.0.1:" + http.port())
                    .getListen();
            List<Route> routes = new ArrayList<>();
            routes.add(new Route("direct", http.port(), () -> 0));
            routes.add(new Route("embedded", Wire.port(listen), () -> 0));
            if (haproxy != null) {
                routes.add(new Route("haproxy", haproxy.port(), haproxy::cpuNanos));
            }

            out.printf(Locale.ROOT, "warming up (%d connections, %.1f s rounds)%n", connections, seconds);
            for (int i = 0; i < 3; i++) {
                for (Route route : routes) {
                    throughput(route.port(), connections, seconds);
                    medianLatencyMicros(route.port(), Math.min(2000, latencyRequests));
                }
            }

            int n = routes.size();
            double[][] rps = new double[n][rounds];
            double[][] cpu = new double[n][rounds];
            double[][] micros = new double[n][rounds];
            for (int round = 0; round < rounds; round++) {
                for (int r = 0; r < n; r++) {
                    Route route = routes.get(r);
                    long cpuBefore = processCpuNanos() + route.outsideCpuNanos().getAsLong();
                    long start = System.nanoTime();
                    rps[r][round] = throughput(route.port(), connections, seconds);
                    double requests = rps[r][round] * (System.nanoTime() - start) / 1e9;
                    cpu[r][round] =
                            (processCpuNanos() + route.outsideCpuNanos().getAsLong() - cpuBefore) / 1e3 / requests;
                }
                StringBuilder line = new StringBuilder("round " + (round + 1) + ":");
                for (int r = 0; r < n; r++) {
                    micros[r][round] = medianLatencyMicros(routes.get(r).port(), latencyRequests);
                    line.append(String.format(
                            Locale.ROOT,
                            "%s %s %.0f req/s %.1f us",
                            r == 0 ? "" : ",",
                            routes.get(r).name(),
                            rps[r][round],
                            micros[r][round]));
                }
                out.println(line);
            }

            out.printf(
                    Locale.ROOT,
                    "%nmedian of %d rounds, %d keep-alive connections, %d cores%n",
                    rounds,
                    connections,
                    Runtime.getRuntime().availableProcessors());
            out.println("route       throughput   of direct   p50 round trip      added   CPU/request");
            for (int r = 0; r < n; r++) {
                out.printf(
                        Locale.ROOT,
                        "%-9s %8.0f req/s   %6.1f %%      %8.1f us   %+8.1f us   %7.1f us%n",
                        routes.get(r).name(),
                        median(rps[r]),
                        100 * median(rps[r]) / median(rps[0]),
                        median(micros[r]),
                        median(micros[r]) - median(micros[0]),
                        median(cpu[r]));
            }
            out.println("(CPU/request: client, server and proxy; haproxy's process counted in its rounds)");
            if (haproxy != null) {
                double[] ratios = new double[rounds];
                for (int round = 0; round < rounds; round++) {
                    ratios[round] = rps[1][round] / rps[2][round];
                }
                Arrays.sort(ratios);
                out.printf(
                        Locale.ROOT,
                        "embedded / haproxy throughput, round by round: median %.2f (%.2f to %.2f)%n",
                        median(ratios),
                        ratios[0],
                        ratios[rounds - 1]);
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Requests per second over several connections, each sending its next request when the last answer came. */
    private static double throughput(int port, int connections, double seconds) throws Exception {
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread thread = new Thread(() -> {
                try (Client client = new Client(port)) {
                    while (!stop.get()) {
                        client.request();
                        done.increment();
                    }
                } catch (IOException e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
        }
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        long elapsed = System.nanoTime() - start;
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return done.sum() * 1e9 / elapsed;
    }

    /** The median round trip, in microseconds, of sequential requests on one connection. */
    private static double medianLatencyMicros(int port, int requests) throws IOException {
        double[] micros = new double[requests];
        try (Client client = new Client(port)) {
            for (int i = 0; i < requests; i++) {
                long start = System.nanoTime();
                client.request();
                micros[i] = (System.nanoTime() - start) / 1000.0;
            }
        }
        return median(micros);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** A keep-alive HTTP/1.1 client that knows only Content-Length bodies. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        void request() throws IOException {
            out.write(REQUEST);
            in.skipNBytes(readHeadContentLength(in));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Reads a response or request head up to the blank line; returns its Content-Length (0 when absent). */
    private static int readHeadContentLength(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int length = 0;
        boolean first = true;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in a message head");
            }
            if (b == '\r') {
                continue;
            }
            if (b != '\n') {
                line.append((char) b);
                continue;
            }
            if (line.length() == 0) {
                return length;
            }
            if (!first && line.length() > 15 && line.substring(0, 15).equalsIgnoreCase("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
            first = false;
            line.setLength(0);
        }
    }

    /** A tiny HTTP/1.1 server answering every request with "ok" over keep-alive, one thread per connection. */
    private static final class KeepAliveServer implements AutoCloseable {
        private final ServerSocket serverSocket;
        private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

        KeepAliveServer() throws IOException {
            serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "bench-http-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return serverSocket.getLocalPort();
        }

        private void accept() {
            while (true) {
                Socket socket;
                try {
                    socket = serverSocket.accept();
                    socket.setTcpNoDelay(true);
                } catch (IOException e) {
                    return;
                }
                sockets.add(socket);
                Thread worker = new Thread(() -> serve(socket), "bench-http-worker");
                worker.setDaemon(true);
                worker.start();
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                while (true) {
                    in.skipNBytes(readHeadContentLength(in));
                    out.write(RESPONSE);
                }
            } catch (IOException e) {
                sockets.remove(socket);
            }
        }

        @Override
        public void close() throws IOException {
            serverSocket.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
