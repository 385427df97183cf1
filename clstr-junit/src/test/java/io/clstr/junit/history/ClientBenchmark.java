package io.clstr.junit.history;

import static io.clstr.junit.check.Select.node;

import io.clstr.junit.Node;
import io.clstr.junit.check.LatencyStats;
import io.clstr.junit.internal.check.CheckContext;
import io.clstr.junit.internal.check.Http;
import io.clstr.junit.internal.check.HttpChecks;
import io.clstr.junit.internal.timing.Ledger;
import io.clstr.junit.linearizability.KvInput;
import io.clstr.junit.testnode.UriNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether clstr's client is what limits a stage: the requests per second and the p50 and p99
 * latency of {@code concurrently} with 50 operations in flight, each a {@code GET} checked as a
 * stage checks it ({@code get(node(n1), path).status(200).body("ok").check()}) or recorded as a
 * history's clients record it ({@link RecordingClient#call}), against {@code wrk} with 50
 * connections, all on one minimal HTTP server on loopback. Rounds alternate wrk, checks and
 * recorded calls; each figure is the median of the rounds. CPU time per request counts the
 * server and the client: this JVM in clstr's rounds, this JVM and wrk's process in wrk's. Not a test; run it with
 * {@code bench/client.sh} (arguments: seconds per round, rounds, connections).
 */
public final class ClientBenchmark {
    private static final Pattern WRK_RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    /** sh's {@code times}: its own user and system time, then its children's, such as {@code 0m1.23s 0m0.45s}. */
    private static final Pattern SH_TIMES = Pattern.compile(
            "^\\d+m[0-9.]+s[ \\t]+\\d+m[0-9.]+s\\R(\\d+)m([0-9.]+)s[ \\t]+(\\d+)m([0-9.]+)s[ \\t]*$",
            Pattern.MULTILINE);

    private static final Pattern WRK_ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)|Socket errors: .*");

    private ClientBenchmark() {}

    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    /** Runs the benchmark with {@code args} as {@link #main}'s, printing to {@code out}. */
    static void run(String[] args, PrintStream out) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        try (MinimalServer server = new MinimalServer();
                Bench bench = new Bench(server.uri(), connections)) {
            boolean wrk = wrkInstalled();
            if (!wrk) {
                out.println("wrk not found on PATH: only clstr's client is measured (apt-get install wrk)");
            }
            out.printf(
                    Locale.ROOT,
                    "server %s, %d in flight, %.1f s rounds, %d cores%n",
                    server.uri(),
                    connections,
                    seconds,
                    Runtime.getRuntime().availableProcessors());
            int checks = 500;
            int calls = 500;
            out.println("warming up");
            for (int i = 0; i < 2; i++) {
                if (wrk) {
                    wrk(server.uri(), connections, Math.min(seconds, 2));
                }
                checks = bench.size(bench.checks(checks), seconds);
                calls = bench.size(bench.recorded(calls), seconds);
            }
            List<Figures> wrkRounds = new ArrayList<>();
            List<Figures> checkRounds = new ArrayList<>();
            List<Figures> callRounds = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                if (wrk) {
                    wrkRounds.add(print(out, round, "wrk", wrk(server.uri(), connections, seconds)));
                }
                Figures c = print(out, round, "clstr checks", bench.checks(checks));
                checkRounds.add(c);
                checks = bench.size(c, seconds);
                Figures r = print(out, round, "clstr recorded", bench.recorded(calls));
                callRounds.add(r);
                calls = bench.size(r, seconds);
            }
            out.printf(Locale.ROOT, "%nmedian of %d rounds, %d in flight%n", rounds, connections);
            Figures checksMedian = Figures.median(checkRounds);
            Figures callsMedian = Figures.median(callRounds);
            if (wrk) {
                Figures wrkMedian = Figures.median(wrkRounds);
                out.println(wrkMedian.line("wrk"));
                out.println(checksMedian.line("clstr checks") + ratio(checkRounds, wrkRounds));
                out.println(callsMedian.line("clstr recorded") + ratio(callRounds, wrkRounds));
            } else {
                out.println(checksMedian.line("clstr checks"));
                out.println(callsMedian.line("clstr recorded"));
            }
        }
    }

    /** clstr's rate as a share of wrk's, round by round: the median and the range. */
    private static String ratio(List<Figures> clstr, List<Figures> wrk) {
        double[] shares = new double[clstr.size()];
        for (int i = 0; i < shares.length; i++) {
            shares[i] = 100 * clstr.get(i).rate() / wrk.get(i).rate();
        }
        Arrays.sort(shares);
        return String.format(
                Locale.ROOT,
                "   %.0f %% of wrk's req/s (rounds %.0f to %.0f %%)",
                Figures.median(shares),
                shares[0],
                shares[shares.length - 1]);
    }

    private static Figures print(PrintStream out, int round, String what, Figures figures) {
        out.println("round " + round + ": " + figures.line(what));
        return figures;
    }

    /** Requests per second and latency percentiles of one round; cpu is this JVM's CPU time per request, or NaN. */
    record Figures(double rate, double p50Micros, double p99Micros, double cpuMicros, long errors) {
        String line(String what) {
            return String.format(
                    Locale.ROOT,
                    "%-15s %8.0f req/s   p50 %7.0f us   p99 %7.0f us%s%s",
                    what,
                    rate,
                    p50Micros,
                    p99Micros,
                    Double.isNaN(cpuMicros) ? "" : String.format(Locale.ROOT, "   CPU/request %5.1f us", cpuMicros),
                    errors == 0 ? "" : "   " + errors + " errors");
        }

        static Figures median(List<Figures> rounds) {
            return new Figures(
                    median(rounds.stream().mapToDouble(Figures::rate).toArray()),
                    median(rounds.stream().mapToDouble(Figures::p50Micros).toArray()),
                    median(rounds.stream().mapToDouble(Figures::p99Micros).toArray()),
                    median(rounds.stream().mapToDouble(Figures::cpuMicros).toArray()),
                    rounds.stream().mapToLong(Figures::errors).sum());
        }

        static double median(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int middle = sorted.length / 2;
            return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    /**
     * clstr's side: one node on the server, the checks and a recording client, as a stage has them,
     * with a stage's ledger open (each request's wait goes into it).
     */
    private static final class Bench implements CheckContext, AutoCloseable {
        private final Ledger ledger = Ledger.open("client benchmark");
        private final Node n1;
        private final Http http = new Http(this::nodes);
        private final HttpChecks checks = new HttpChecks(this);
        private final int inFlight;

        Bench(URI uri, int inFlight) {
            this.n1 = new UriNode("n1", uri);
            this.inFlight = inFlight;
        }

        /** {@code n} GETs checked by status and body, {@code inFlight} at a time. */
        Figures checks(int n) {
            return timed(
                    n,
                    () -> checks.concurrently(n, inFlight, i -> checks.get(node(n1), "/kv/k" + i % 100)
                            .status(200)
                            .body("ok")
                            .check()));
        }

        /** {@code n} GETs recorded in a fresh history, {@code inFlight} at a time. */
        Figures recorded(int n) {
            History<KvInput, Object> history = new History<>();
            KvRecorder client = new KvRecorder(this, history);
            return timed(n, () -> checks.concurrently(n, inFlight, i -> client.get(i % inFlight, n1, "k" + i % 100)));
        }

        private static Figures timed(int n, java.util.function.Supplier<LatencyStats> run) {
            long cpu = Cpu.processNanos();
            long start = System.nanoTime();
            LatencyStats stats = run.get();
            long elapsed = System.nanoTime() - start;
            return new Figures(
                    n * 1e9 / elapsed,
                    stats.p50().toNanos() / 1e3,
                    stats.p99().toNanos() / 1e3,
                    (Cpu.processNanos() - cpu) / 1e3 / n,
                    stats.errors());
        }

        /** How many operations fill a round of {@code seconds} at the rate measured. */
        int size(Figures measured, double seconds) {
            return (int) Math.max(200, measured.rate() * seconds);
        }

        @Override
        public List<Node> nodes() {
            return List.of(n1);
        }

        @Override
        public Http http() {
            return http;
        }

        @Override
        public void event(String text) {
            // the timeline line of each round is not wanted here
        }

        @Override
        public Duration requestTimeout() {
            return Duration.ofSeconds(10);
        }

        @Override
        public void close() {
            http.close();
            ledger.close();
        }
    }

    private static final class Cpu {
        static long processNanos() {
            return ((com.sun.management.OperatingSystemMXBean)
                            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }
    }

    private static boolean wrkInstalled() {
        try {
            Process p = new ProcessBuilder("wrk", "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            p.waitFor();
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * One wrk run: two threads, {@code connections} keep-alive connections, its latency
     * distribution; run by sh so that {@code times} reports wrk's CPU time.
     */
    private static Figures wrk(URI uri, int connections, double seconds) throws IOException, InterruptedException {
        long wholeSeconds = Math.max(1, Math.round(seconds));
        List<String> command = List.of(
                "sh",
                "-c",
                "wrk \"$@\"; status=$?; times; exit $status",
                "sh",
                "-t2",
                "-c" + connections,
                "-d" + wholeSeconds + "s",
                "--latency",
                uri + "kv/k1");
        long cpu = Cpu.processNanos();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(wholeSeconds + 30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("wrk " + String.join(" ", command.subList(4, command.size())) + " failed:\n" + out);
        }
        long serverCpu = Cpu.processNanos() - cpu;
        Matcher rate = WRK_RATE.matcher(out);
        Matcher times = SH_TIMES.matcher(out);
        if (!rate.find() || !times.find()) {
            throw new IOException("no Requests/sec or CPU times in wrk's output:\n" + out);
        }
        long errors = 0;
        Matcher bad = WRK_ERRORS.matcher(out);
        while (bad.find()) {
            errors += bad.group(1) != null ? Long.parseLong(bad.group(1)) : 1;
        }
        double requestsPerSecond = Double.parseDouble(rate.group(1));
        double wrkCpuNanos = 1e9
                * (60 * Double.parseDouble(times.group(1))
                        + Double.parseDouble(times.group(2))
                        + 60 * Double.parseDouble(times.group(3))
                        + Double.parseDouble(times.group(4)));
        double perRequest = (serverCpu + wrkCpuNanos) / 1e3 / (requestsPerSecond * wholeSeconds);
        return new Figures(requestsPerSecond, percentile(out, "50%"), percentile(out, "99%"), perRequest, errors);
    }

    /** A line of wrk's latency distribution ({@code "     99%  1.23ms"}) in microseconds. */
    private static double percentile(String wrkOutput, String label) throws IOException {
        Matcher m = Pattern.compile("^\\s*" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE)
                .matcher(wrkOutput);
        if (!m.find()) {
            throw new IOException("no " + label + " latency in wrk's output:\n" + wrkOutput);
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value;
            case "ms" -> value * 1e3;
            default -> value * 1e6;
        };
    }

    /**
     * The smallest HTTP/1.1 server that keeps connections alive: one thread, non-blocking sockets,
     * {@code 200 ok} to every request (a body is skipped by its Content-Length).
     */
    private static final class MinimalServer implements AutoCloseable {
        private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"
                .getBytes(StandardCharsets.US_ASCII);

        private final Selector selector;
        private final ServerSocketChannel listener;
        private final Thread loop;
        private volatile boolean open = true;

        MinimalServer() throws IOException {
            selector = Selector.open();
            listener = ServerSocketChannel.open();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
            loop = new Thread(this::serve, "bench-server");
            loop.setDaemon(true);
            loop.start();
        }

        URI uri() throws IOException {
            InetSocketAddress at = (InetSocketAddress) listener.getLocalAddress();
            return URI.create("http://127.0.0.1:" + at.getPort() + "/");
        }

        private void serve() {
            try {
                while (open) {
                    selector.select();
                    for (SelectionKey key : selector.selectedKeys()) {
                        if (key.isValid() && key.isAcceptable()) {
                            accept();
                        } else if (key.isValid() && key.isReadable()) {
                            read(key);
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                System.err.println("the benchmark's server stopped: " + e);
            }
        }

        private void accept() throws IOException {
            SocketChannel channel;
            while ((channel = listener.accept()) != null) {
                channel.configureBlocking(false);
                channel.socket().setTcpNoDelay(true);
                channel.register(selector, SelectionKey.OP_READ, new Connection());
            }
        }

        private void read(SelectionKey key) {
            SocketChannel channel = (SocketChannel) key.channel();
            Connection connection = (Connection) key.attachment();
            try {
                if (channel.read(connection.in) < 0) {
                    channel.close();
                    return;
                }
                int answers = connection.completeRequests();
                if (answers > 0) {
                    ByteBuffer out = ByteBuffer.allocate(OK.length * answers);
                    for (int i = 0; i < answers; i++) {
                        out.put(OK);
                    }
                    out.flip();
                    while (out.hasRemaining()) {
                        // answers are tiny: the socket's send buffer takes them at once
                        channel.write(out);
                    }
                }
            } catch (IOException e) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // already closing
                }
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            open = false;
            selector.wakeup();
            loop.join();
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
        }
    }

    /** What one connection has read: requests are cut at the blank line after the head, then their body. */
    private static final class Connection {
        /** "content-length:" in lower case: header names compare with each byte's 0x20 bit set. */
        private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);

        final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        private int bodyLeft;

        /** Consumes every complete request in the buffer and returns how many there were. */
        int completeRequests() {
            in.flip();
            int count = 0;
            while (true) {
                if (bodyLeft > 0) {
                    int skip = Math.min(bodyLeft, in.remaining());
                    in.position(in.position() + skip);
                    bodyLeft -= skip;
                    if (bodyLeft > 0) {
                        break;
                    }
                    count++;
                    continue;
                }
                int end = headEnd();
                if (end < 0) {
                    break;
                }
                int length = contentLength(in.position(), end);
                in.position(end);
                if (length == 0) {
                    count++;
                } else {
                    bodyLeft = length;
                }
            }
            in.compact();
            return count;
        }

        /** The index just past the first "\r\n\r\n" from the position, or -1. */
        private int headEnd() {
            for (int i = in.position(); i + 3 < in.limit(); i++) {
                if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                    return i + 4;
                }
            }
            return -1;
        }

        /** The Content-Length header's value in the head between the two indexes, or 0. */
        private int contentLength(int from, int to) {
            byte[] name = CONTENT_LENGTH;
            for (int line = from; line < to; line++) {
                if (in.get(line) != '\n' || line + name.length >= to) {
                    continue;
                }
                int i = 0;
                while (i < name.length && (in.get(line + 1 + i) | 0x20) == name[i]) {
                    i++;
                }
                if (i == name.length) {
                    int value = 0;
                    for (int at = line + 1 + i; at < to && in.get(at) != '\r'; at++) {
                        byte b = in.get(at);
                        if (b >= '0' && b <= '9') {
                            value = value * 10 + (b - '0');
                        }
                    }
                    return value;
                }
            }
            return 0;
        }
    }
}
