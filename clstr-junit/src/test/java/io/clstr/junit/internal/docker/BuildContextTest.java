package io.clstr.junit.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.clstr.junit.SetupException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildContextTest {
    @TempDir
    Path folder;

    private Map<String, TarArchiveEntry> entries() throws IOException {
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream in = pack(Files::newInputStream)) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), e);
            }
        }
        return entries;
    }

    /** Each file's bytes in the context packed through {@code opener}, by name. */
    private Map<String, byte[]> contents(BuildContext.Opener opener) throws IOException {
        Map<String, byte[]> contents = new LinkedHashMap<>();
        try (TarArchiveInputStream in = pack(opener)) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.isFile()) {
                    byte[] bytes = in.readAllBytes();
                    assertThat(bytes)
                            .as("%s: as long as its header says", e.getName())
                            .hasSize((int) e.getSize());
                    contents.put(e.getName(), bytes);
                }
            }
        }
        return contents;
    }

    private TarArchiveInputStream pack(BuildContext.Opener opener) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BuildContext.write(folder, "Dockerfile", out, opener);
        return new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()));
    }

    /** Opens files through {@link Files#newInputStream}, first doing {@code before} to the one named {@code name}. */
    private BuildContext.Opener onOpening(String name, IoAction before) {
        return file -> {
            if (file.equals(folder.resolve(name))) {
                before.run(file);
            }
            return Files.newInputStream(file);
        };
    }

    @FunctionalInterface
    private interface IoAction {
        void run(Path file) throws IOException;
    }

    private void write(String name, String text) throws IOException {
        Path file = folder.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void keepsWhatDockerignoreKeepsAndAlwaysTheDockerfile() throws IOException {
        write("Dockerfile", "FROM clstr/java:17\n");
        write(".dockerignore", "*\n!target/app.jar\n!target/lib/\n");
        write("pom.xml", "<project/>");
        write("target/app.jar", "jar");
        write("target/lib/dep.jar", "dep");
        write("target/classes/A.class", "class");
        write(".clstr/logs/n1.jsonl", "{}");

        assertThat(entries().keySet())
                .containsExactlyInAnyOrder(
                        "Dockerfile", ".dockerignore", "target/app.jar", "target/lib/", "target/lib/dep.jar");
    }

    @Test
    void withoutDockerignoreSendsEverythingButClstrRunsAndKeepsPermissionsAndLinks() throws IOException {
        write("Dockerfile", "FROM clstr/java:17\n");
        write("run.sh", "#!/bin/sh\n");
        Files.setPosixFilePermissions(folder.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(folder.resolve("start"), Path.of("run.sh"));
        write(".clstr/run/n1/data/x", "data");

        Map<String, TarArchiveEntry> entries = entries();

        assertThat(entries.keySet()).containsExactlyInAnyOrder("Dockerfile", "run.sh", "start");
        assertThat(entries.get("run.sh").getMode() & 0777).isEqualTo(0750);
        assertThat(entries.get("start").isSymbolicLink()).isTrue();
        assertThat(entries.get("start").getLinkName()).isEqualTo("run.sh");
    }

    @Test
    void aFileThatGrowsWhileItIsPackedIsPackedWithTheLengthItWasListedWith() throws IOException {
        write("Dockerfile", "FROM clstr/java:17\n");
        write("logs/app.log", "line 1\n");
        // grows between its listing and its opening, and again once its reading has begun
        BuildContext.Opener growing = file -> {
            if (!file.equals(folder.resolve("logs/app.log"))) {
                return Files.newInputStream(file);
            }
            Files.writeString(file, "line 2\n", StandardOpenOption.APPEND);
            InputStream in = Files.newInputStream(file);
            return new FilterInputStream(in) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    Files.write(file, new byte[256 * 1024], StandardOpenOption.APPEND);
                    return super.read(b, off, len);
                }
            };
        };

        Map<String, byte[]> contents = contents(growing);

        assertThat(new String(contents.get("logs/app.log"), StandardCharsets.UTF_8))
                .isEqualTo("line 1\n");
        assertThat(Files.size(folder.resolve("logs/app.log")))
                .as("the file did grow")
                .isGreaterThan(256 * 1024);
        assertThat(contents).containsKey("Dockerfile");
    }

    @Test
    void aFileThatShrinksWhileItIsPackedIsPaddedToTheLengthItWasListedWith() throws IOException {
        write("Dockerfile", "FROM clstr/java:17\n");
        write("state.txt", "0123456789");

        Map<String, byte[]> contents = contents(onOpening("state.txt", f -> Files.writeString(f, "0123")));

        assertThat(contents.get("state.txt")).containsExactly('0', '1', '2', '3', 0, 0, 0, 0, 0, 0);
    }

    @Test
    void aFileRemovedBetweenItsListingAndItsReadingIsASetupErrorNamingIt() throws IOException {
        write("Dockerfile", "FROM clstr/java:17\n");
        write("logs/app.log", "line 1\n");

        SetupException e =
                catchThrowableOfType(SetupException.class, () -> contents(onOpening("logs/app.log", Files::delete)));

        assertThat(e.getMessage())
                .isEqualTo("logs/app.log was removed while clstr packed it into the Docker build context; run"
                        + " again, or list it in .dockerignore if a program writes there")
                .doesNotContain("\n");
        assertThat(e.detail()).isEmpty();
    }

    @Test
    void aFileThatCannotBeReadIsASetupErrorNamingIt() throws IOException {
        write("Dockerfile", "FROM clstr/java:17\n");
        write("secret.key", "no");

        SetupException e = catchThrowableOfType(
                SetupException.class,
                () -> contents(onOpening("secret.key", f -> {
                    throw new AccessDeniedException(f.toString());
                })));

        assertThat(e.getMessage())
                .isEqualTo("cannot read secret.key to pack it into the Docker build context (permission denied);"
                        + " make it readable, or list it in .dockerignore");
    }

    @Test
    void aNamedPipeIsLeftOutInsteadOfWaitedOn() throws Exception {
        write("Dockerfile", "FROM clstr/java:17\n");
        int made;
        try {
            made = new ProcessBuilder("mkfifo", folder.resolve("events").toString())
                    .start()
                    .waitFor();
        } catch (IOException e) {
            made = -1;
        }
        Assumptions.assumeTrue(made == 0, "mkfifo makes no named pipe here");

        assertThat(entries().keySet()).containsExactly("Dockerfile");
    }
}
