package io.clstr.toxiproxy;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures what the embedded proxy costs small HTTP requests over keep-alive connections on loopback: throughput
 * with a few concurrent connections and the median round trip of one connection, directly and through a proxy
 * without toxics. Not a test; run it with
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
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2.0;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        try (KeepAliveServer http = new KeepAliveServer();
                ToxiproxyServer toxiproxy = ToxiproxyServer.start("127.0.0.1", 0, 1)) {
            String listen = new ToxiproxyClient(toxiproxy.host(), toxiproxy.port())
                    .createProxy("bench", "127.0.0.1:0", "127.0.0.1:" + http.port())
                    .getListen();
            int direct = http.port();
            int proxied = Wire.port(listen);

            System.out.printf("warming up (%d connections, %.1f s rounds)%n", connections, seconds);
            for (int i = 0; i < 3; i++) {
                throughput(direct, connections, seconds);
                throughput(proxied, connections, seconds);
                medianLatencyMicros(direct, 2000);
                medianLatencyMicros(proxied, 2000);
            }

            double[] directRps = new double[rounds];
            double[] proxiedRps = new double[rounds];
            double[] directCpu = new double[rounds];
            double[] proxiedCpu = new double[rounds];
            double[] directMicros = new double[rounds];
            double[] proxiedMicros = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                long cpu = processCpuNanos();
                long start = System.nanoTime();
                directRps[round] = throughput(direct, connections, seconds);
                directCpu[round] = cpuMicrosPerRequest(cpu, start, directRps[round]);
                cpu = processCpuNanos();
                start = System.nanoTime();
                proxiedRps[round] = throughput(proxied, connections, seconds);
                proxiedCpu[round] = cpuMicrosPerRequest(cpu, start, proxiedRps[round]);
                directMicros[round] = medianLatencyMicros(direct, 5000);
                proxiedMicros[round] = medianLatencyMicros(proxied, 5000);
                System.out.printf(
                        "round %d: direct %.0f req/s %.1f us, proxied %.0f req/s %.1f us%n",
                        round + 1, directRps[round], directMicros[round], proxiedRps[round], proxiedMicros[round]);
            }
            double directThroughput = median(directRps);
            double proxiedThroughput = median(proxiedRps);
            double directLatency = median(directMicros);
            double proxiedLatency = median(proxiedMicros);
            System.out.printf(
                    "%nmedian of %d rounds, %d keep-alive connections, %d cores%n",
                    rounds, connections, Runtime.getRuntime().availableProcessors());
            System.out.printf(
                    "throughput  direct %8.0f req/s   proxied %8.0f req/s   ratio %.1f %%%n",
                    directThroughput, proxiedThroughput, 100 * proxiedThroughput / directThroughput);
            System.out.printf(
                    "latency p50 direct %8.1f us      proxied %8.1f us      added %.1f us%n",
                    directLatency, proxiedLatency, proxiedLatency - directLatency);
            double directCost = median(directCpu);
            double proxiedCost = median(proxiedCpu);
            System.out.printf(
                    "cpu/request direct %8.1f us      proxied %8.1f us      (client, server and proxy;"
                            + " bound on a CPU-bound ratio %.1f %%)%n",
                    directCost, proxiedCost, 100 * directCost / proxiedCost);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU time of this whole process (client, server and proxy) per request since the given moment. */
    private static double cpuMicrosPerRequest(long cpuBefore, long startNanos, double requestsPerSecond) {
        double requests = requestsPerSecond * (System.nanoTime() - startNanos) / 1e9;
        return (processCpuNanos() - cpuBefore) / 1e3 / requests;
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
