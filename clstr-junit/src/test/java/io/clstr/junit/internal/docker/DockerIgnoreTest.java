package io.clstr.junit.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DockerIgnoreTest {

    private static DockerIgnore ignore(String... lines) {
        return DockerIgnore.parse(List.of(lines));
    }

    @Test
    void starStaysWithinOnePathElementAndMatchesFoldersWithTheirContent() {
        DockerIgnore ignore = ignore("*.log", "build");
        assertThat(ignore.excludes("a.log")).isTrue();
        assertThat(ignore.excludes("logs/a.log")).isFalse();
        assertThat(ignore.excludes("build")).isTrue();
        assertThat(ignore.excludes("build/out/app.jar")).isTrue();
        assertThat(ignore.excludes("src/build")).isFalse();
    }

    @Test
    void doubleStarCrossesFoldersAndQuestionMarkIsOneCharacter() {
        DockerIgnore ignore = ignore("**/*.tmp", "v?.txt", "/docs/**");
        assertThat(ignore.excludes("x.tmp")).isTrue();
        assertThat(ignore.excludes("a/b/c/x.tmp")).isTrue();
        assertThat(ignore.excludes("v1.txt")).isTrue();
        assertThat(ignore.excludes("v10.txt")).isFalse();
        assertThat(ignore.excludes("docs/a/b.md")).isTrue();
        assertThat(ignore.excludes("src/docs/a.md")).isFalse();
    }

    @Test
    void exceptionsReincludeAndTheLastMatchingLineWins() {
        // the reference kv-store's .dockerignore
        DockerIgnore ignore = ignore("# only the jar", "*", "!target/reference-kv-store.jar", "!target/lib/");
        assertThat(ignore.hasExceptions()).isTrue();
        assertThat(ignore.excludes("pom.xml")).isTrue();
        assertThat(ignore.excludes("target")).isTrue();
        assertThat(ignore.excludes("target/classes/A.class")).isTrue();
        assertThat(ignore.excludes("target/reference-kv-store.jar")).isFalse();
        assertThat(ignore.excludes("target/lib/jackson-core.jar")).isFalse();
        assertThat(ignore(".clstr/", "!.clstr/keep", ".clstr/keep").excludes(".clstr/keep"))
                .isTrue();
    }

    @Test
    void blankLinesCommentsAndLeadingSlashesAreIgnored() {
        DockerIgnore ignore = ignore("", "   ", "# *.java", "/out/", "./tmp");
        assertThat(ignore.excludes("A.java")).isFalse();
        assertThat(ignore.excludes("out/x")).isTrue();
        assertThat(ignore.excludes("tmp")).isTrue();
        assertThat(ignore.hasExceptions()).isFalse();
    }

    @Test
    void characterClassesAndEscapes() {
        assertThat(ignore("file[0-9].txt").excludes("file7.txt")).isTrue();
        assertThat(ignore("file[!0-9].txt").excludes("file7.txt")).isFalse();
        assertThat(ignore("file[!0-9].txt").excludes("filex.txt")).isTrue();
        assertThat(ignore("a\\*b").excludes("a*b")).isTrue();
        assertThat(ignore("a\\*b").excludes("axb")).isFalse();
        assertThat(ignore("a.b").excludes("axb")).isFalse();
    }
}
