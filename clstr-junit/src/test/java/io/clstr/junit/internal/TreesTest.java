package io.clstr.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreesTest {

    @Test
    void deleteAsideFreesThePathAtOnceAndDeletesTheOldTreeBeside(@TempDir Path dir) throws IOException {
        Path root = dir.resolve("http-api");
        Files.createDirectories(root.resolve("n1").resolve("wal"));
        Files.writeString(root.resolve("n1").resolve("wal").resolve("0001.log"), "entry");

        Background deleting = Trees.deleteAside(root);

        assertThat(root).doesNotExist(); // a node may take the path before the deletion ends
        Files.createDirectories(root.resolve("n1"));
        deleting.await();
        assertThat(names(dir)).containsExactly("http-api");
        assertThat(root.resolve("n1")).isEmptyDirectory();
    }

    @Test
    void deleteAsideRemovesWhatAnEarlierRunMovedAsideAndLeftBehind(@TempDir Path dir) throws IOException {
        Path leftover = dir.resolve(".http-api.deleting-12345");
        Files.createDirectories(leftover.resolve("n1"));
        Files.writeString(leftover.resolve("n1").resolve("state"), "x");
        Files.createDirectories(dir.resolve("persistence").resolve("n1"));

        Trees.deleteAside(dir.resolve("http-api")).await();

        assertThat(names(dir)).containsExactly("persistence"); // another stage's data stays
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
