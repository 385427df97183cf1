package io.clstr.junit.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildContextTest {
    @TempDir
    Path folder;

    private Map<String, TarArchiveEntry> entries() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BuildContext.write(folder, "Dockerfile", out);
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), e);
            }
        }
        return entries;
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
}
