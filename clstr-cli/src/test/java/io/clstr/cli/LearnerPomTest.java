package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example learner pom ({@code examples/learner/pom.xml}) runs a challenge with {@code mvn test}:
 * copied into a demo challenge folder, with the demo challenge in place of kv-store, it runs the
 * stages up to clstr.yaml's stage, and {@code -Dclstr.stage} overrides that.
 *
 * <p>Needs {@code mvn} on PATH (skipped otherwise) and this build's packaged jars. Like
 * {@code mvn install}, it first installs clstr's parent pom, BOM and framework jars (from their
 * target folders) into the local Maven repository, plus a test-only {@code io.clstr:challenge-demo}.
 */
class LearnerPomTest {
    private static final String VERSION = "0.1.0-SNAPSHOT";

    @TempDir
    Path temp;

    @Test
    void mvnTestRunsTheStagesUpToClstrYamlsStage() throws Exception {
        assumeTrue(onPath("mvn"), "mvn is not on PATH");
        Path root = DemoFolder.testClasses().resolve("../../..").normalize();
        Path junitJar = root.resolve("clstr-junit/target/clstr-junit-" + VERSION + ".jar");
        Path toxiproxyJar = root.resolve("clstr-toxiproxy/target/clstr-toxiproxy-" + VERSION + ".jar");
        assumeTrue(
                Files.isRegularFile(junitJar) && Files.isRegularFile(toxiproxyJar),
                "clstr-junit and clstr-toxiproxy are not packaged (run mvn package or verify from the root)");
        install(root, junitJar, toxiproxyJar);

        DemoFolder folder = DemoFolder.create(temp.resolve("learner"), "hello", "");
        String pom = Files.readString(root.resolve("examples/learner/pom.xml"), StandardCharsets.UTF_8);
        assertThat(pom).contains("<artifactId>challenge-kv-store</artifactId>", "io.clstr:challenge-kv-store");
        Files.writeString(
                folder.dir().resolve("pom.xml"),
                pom.replace(
                                "<artifactId>challenge-kv-store</artifactId>",
                                "<artifactId>challenge-demo</artifactId><version>" + VERSION + "</version>")
                        .replace("io.clstr:challenge-kv-store", "io.clstr:challenge-demo"));
        try {
            Path effective = temp.resolve("effective-pom.xml");
            mvn(
                    folder.dir(),
                    "org.apache.maven.plugins:maven-help-plugin:3.5.2:effective-pom",
                    "-Doutput=" + effective);
            String managed = Files.readString(effective, StandardCharsets.UTF_8)
                    .replaceAll("(?s).*<dependencyManagement>(.*)</dependencyManagement>.*", "$1");
            assertThat(Pattern.compile("<groupId>([^<]+)</groupId>")
                            .matcher(managed)
                            .results()
                            .map(m -> m.group(1))
                            .distinct())
                    .as("importing clstr-bom manages clstr's artifacts and nothing else")
                    .containsExactly("io.clstr");

            mvn(folder.dir(), "test");
            assertThat(reports(folder.dir())).containsExactly("TEST-io.clstr.cli.demo.HelloStage.xml");
            assertThat(Files.readString(
                            folder.dir().resolve("target/surefire-reports/TEST-io.clstr.cli.demo.HelloStage.xml")))
                    .contains("tests=\"2\"", "failures=\"0\"", "errors=\"0\"");

            mvn(folder.dir(), "test", "-Dclstr.stage=echo");
            assertThat(reports(folder.dir()))
                    .containsExactly("TEST-io.clstr.cli.demo.EchoStage.xml", "TEST-io.clstr.cli.demo.HelloStage.xml");
        } finally {
            folder.assertNothingRunning();
        }
    }

    /** Installs what the example pom resolves, with one Maven run of install-file executions. */
    private void install(Path root, Path junitJar, Path toxiproxyJar) throws Exception {
        Path demoJar = demoChallengeJar();
        Path demoPom = temp.resolve("challenge-demo.pom");
        Files.writeString(demoPom, """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>io.clstr</groupId>
                  <artifactId>challenge-demo</artifactId>
                  <version>%s</version>
                  <dependencies>
                    <dependency><groupId>io.clstr</groupId><artifactId>clstr-junit</artifactId><version>%s</version></dependency>
                  </dependencies>
                </project>
                """.formatted(VERSION, VERSION));
        StringBuilder executions = new StringBuilder();
        execution(executions, "parent", root.resolve("pom.xml"), root.resolve("pom.xml"));
        execution(executions, "bom", root.resolve("clstr-bom/pom.xml"), root.resolve("clstr-bom/pom.xml"));
        execution(executions, "toxiproxy", toxiproxyJar, root.resolve("clstr-toxiproxy/pom.xml"));
        execution(executions, "junit", junitJar, root.resolve("clstr-junit/pom.xml"));
        execution(executions, "demo", demoJar, demoPom);
        Path installer = Files.createDirectories(temp.resolve("installer"));
        Files.writeString(installer.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>io.clstr.test</groupId>
                  <artifactId>installer</artifactId>
                  <version>1</version>
                  <packaging>pom</packaging>
                  <build><plugins><plugin>
                    <groupId>org.apache.maven.plugins</groupId>
                    <artifactId>maven-install-plugin</artifactId>
                    <version>3.1.3</version>
                    <executions>%s</executions>
                  </plugin></plugins></build>
                </project>
                """.formatted(executions));
        mvn(installer, "validate");
    }

    private static void execution(StringBuilder s, String id, Path file, Path pom) {
        s.append("<execution><id>")
                .append(id)
                .append("</id><phase>validate</phase><goals><goal>install-file</goal>")
                .append("</goals><configuration><file>")
                .append(file)
                .append("</file><pomFile>")
                .append(pom)
                .append("</pomFile></configuration></execution>\n");
    }

    /** A jar of the demo challenge: its classes, its ServiceLoader registration and its guides. */
    private Path demoChallengeJar() throws IOException {
        Path classes = DemoFolder.testClasses();
        Path jar = temp.resolve("challenge-demo.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = classes.relativize(p).toString().replace(File.separatorChar, '/');
                if (Files.isRegularFile(p)
                        && (name.startsWith("io/clstr/cli/demo/")
                                || name.startsWith("guides/demo/")
                                || name.equals("META-INF/services/io.clstr.junit.Challenge"))) {
                    out.putNextEntry(new JarEntry(name));
                    Files.copy(p, out);
                    out.closeEntry();
                }
            }
        }
        return jar;
    }

    /** Runs Maven offline, or online when something it needs is not in the local repository yet. */
    private void mvn(Path dir, String... args) throws Exception {
        String offline = run(dir, true, args);
        if (offline != null && offline.contains("offline mode")) {
            offline = run(dir, false, args);
        }
        assertThat(offline).as("mvn %s in %s", String.join(" ", args), dir).isNull();
    }

    /** Null when Maven succeeded, else its output. */
    private String run(Path dir, boolean offline, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("mvn", "-q", "-B", "-ntp"));
        if (offline) {
            command.add("-o");
        }
        command.addAll(List.of(args));
        Path log = Files.createTempFile(temp, "mvn-", ".log");
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            return "timed out after 5 minutes:\n" + Files.readString(log);
        }
        return p.exitValue() == 0 ? null : Files.readString(log);
    }

    private static List<String> reports(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("target/surefire-reports"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".xml"))
                    .sorted()
                    .toList();
        }
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }
}
