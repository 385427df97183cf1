package io.clstr.toxiproxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The server as a program of its own: a child JVM with only this module's classes and Jackson on its class path. */
class MainProcessTest {
    private static final Pattern READY =
            Pattern.compile("clstr-toxiproxy 2\\.12\\.0 API listening on 127\\.0\\.0\\.1:(\\d+) \\(seed 5\\)");

    @Test
    void servesTheApiAndStopsCleanlyOnSigterm() throws Exception {
        Process process = start("-host", "127.0.0.1", "-port", "0", "-seed", "5");
        try {
            int apiPort = readyPort(process);
            ToxiproxyClient client = new ToxiproxyClient("127.0.0.1", apiPort);
            Proxy proxy;
            try (TestServer echo = TestServer.echo()) {
                proxy = client.createProxy("child", "127.0.0.1:0", echo.address());
                assertThat(client.version()).contains("2.12.0");
                assertThat(Wire.echoThrough(proxy.getListen(), "via child")).isEqualTo("via child");
            }

            signal(process, "TERM");

            assertThat(process.waitFor(10, TimeUnit.SECONDS))
                    .as("exited after SIGTERM")
                    .isTrue();
            assertThat(process.exitValue()).isIn(0, 143);
            assertThat(readAll(process.getErrorStream())).isEmpty();
            assertPortFree(apiPort);
            assertPortFree(Wire.port(proxy.getListen()));
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void stopsCleanlyOnSigint() throws Exception {
        Process process = start("--port=0", "-seed=5");
        try {
            int apiPort = readyPort(process);

            signal(process, "INT");

            assertThat(process.waitFor(10, TimeUnit.SECONDS))
                    .as("exited after SIGINT")
                    .isTrue();
            assertThat(process.exitValue()).isIn(0, 130);
            assertThat(readAll(process.getErrorStream())).isEmpty();
            assertPortFree(apiPort);
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void badArgumentsExitWithStatus2AndOneLine() throws Exception {
        List<List<String>> badArguments = List.of(
                List.of("-port", "abc"),
                List.of("-port", "70000"),
                List.of("-bogus"),
                List.of("-seed"),
                List.of("stray"));
        for (List<String> arguments : badArguments) {
            Process process = start(arguments.toArray(String[]::new));
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            List<String> errorLines = readAll(process.getErrorStream());

            assertThat(process.exitValue()).as(arguments.toString()).isEqualTo(2);
            assertThat(errorLines).as(arguments.toString()).hasSize(1);
            assertThat(errorLines.get(0)).startsWith("clstr-toxiproxy: ").contains("usage:");
            assertThat(readAll(process.getInputStream())).isEmpty();
        }
    }

    @Test
    void aTakenPortExitsWithStatus1AndOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Process process = start("-port", Integer.toString(taken.getLocalPort()));
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(process.exitValue()).isEqualTo(1);
            List<String> errorLines = readAll(process.getErrorStream());
            assertThat(errorLines).hasSize(1);
            assertThat(errorLines.get(0)).startsWith("clstr-toxiproxy: cannot start the Toxiproxy API on ");
        }
    }

    @Test
    void helpPrintsTheUsage() throws Exception {
        Process process = start("-help");
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isZero();
        assertThat(readAll(process.getInputStream())).singleElement().asString().startsWith("usage: ");
    }

    private static void signal(Process process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /**
     * Starts the server in a child JVM. SIGINT is reset to its default handling first (coreutils'
     * {@code env --default-signal}): a JVM started with SIGINT ignored, as a job started in the
     * background of a shell without job control is, keeps it ignored, and the child would inherit that.
     */
    private static Process start(String... arguments) throws IOException, URISyntaxException {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/env"))) {
            command.add("/usr/bin/env");
            command.add("--default-signal=INT");
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(String.join(
                File.pathSeparator,
                location(Main.class),
                location(ObjectMapper.class),
                location(JsonFactory.class),
                location(JsonProperty.class)));
        command.add(Main.class.getName());
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).start();
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
    }

    private static int readyPort(Process process) throws InterruptedException, ExecutionException {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String ready;
        try {
            ready = line.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the child printed no ready line within 30 s", e);
        }
        assertThat(ready).matches(READY);
        Matcher matcher = READY.matcher(ready);
        assertThat(matcher.matches()).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    private static List<String> readAll(java.io.InputStream stream) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        }
    }

    private static void assertPortFree(int port) {
        Await.until(Wire.PATIENCE, "port " + port + " to be free", () -> {
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
