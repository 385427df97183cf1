package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clstr.junit.Challenge;
import io.clstr.junit.SetupException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * A challenge registered before it has stages (the test-only {@code planned}, as lock was while it
 * was written) is listed, and every way of asking for it is a clear error: a challenge with no
 * stages could never fail, so it must never pass.
 */
class UnavailableChallengeTest {

    @TempDir
    Path dir;

    @Test
    void listShowsThemAsNotAvailableYet() {
        Cli.Result r = Cli.run(dir, "list");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .containsPattern("queue +Replicated Message Queue +\\(\\d+ stages\\)")
                .containsPattern("lock +Lock Service +\\(7 stages\\)")
                .containsPattern("planned +Planned Challenge \\(not available yet\\)")
                .containsPattern("kv-store +.*\\(\\d+ stages\\)");
        assertThat(Challenge.find("planned")).get().matches(c -> !c.available());
        assertThat(Challenge.find("lock")).get().matches(Challenge::available);
        assertThat(Challenge.find("kv-store")).get().matches(Challenge::available);
    }

    @Test
    void initRefusesThem() {
        for (String challenge : new String[] {"planned"}) {
            Cli.Result r = Cli.run(dir, "init", challenge, "-l", "go");
            assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCode.USAGE);
            assertThat(r.firstErrLine())
                    .startsWith("the " + challenge + " challenge is not available yet: this version of clstr has "
                            + "no stages for it")
                    .contains("available: ")
                    .contains("kv-store");
            NoStackTrace.assertClean(r);
            assertThat(dir).isEmptyDirectory();
        }
    }

    @Test
    void testNextAndStatusRefuseAFolderOfOne() throws Exception {
        Files.writeString(dir.resolve("clstr.yaml"), "challenge: planned\nstage: first\nrun: ./server\n");
        for (String command : new String[] {"test", "next", "status"}) {
            Cli.Result r = Cli.run(dir, command);
            assertThat(r.exitCode()).as(command + ": " + r.all()).isEqualTo(ExitCode.USAGE);
            assertThat(r.firstErrLine())
                    .startsWith("clstr.yaml names `planned`: the planned challenge is not available yet");
            NoStackTrace.assertClean(r);
        }
    }

    @Test
    void mvnTestInAFolderOfOneFailsInsteadOfRunningNothing() throws Exception {
        Files.writeString(dir.resolve("clstr.yaml"), "challenge: planned\nstage: first\nrun: ./server\n");
        String before = System.getProperty("clstr.dir");
        System.setProperty("clstr.dir", dir.toString());
        try {
            assertThatThrownBy(() -> {
                        try (LauncherSession session = LauncherFactory.openSession()) {
                            session.getLauncher();
                        }
                    })
                    .isInstanceOf(SetupException.class)
                    .hasMessageStartingWith("the planned challenge is not available yet");
        } finally {
            if (before == null) {
                System.clearProperty("clstr.dir");
            } else {
                System.setProperty("clstr.dir", before);
            }
        }
        Files.writeString(dir.resolve("clstr.yaml"), "challenge: kv-store\nstage: http-api\nrun: ./server\n");
        System.setProperty("clstr.dir", dir.toString());
        try (LauncherSession session = LauncherFactory.openSession()) {
            assertThat(session.getLauncher()).isNotNull();
        } finally {
            if (before == null) {
                System.clearProperty("clstr.dir");
            } else {
                System.setProperty("clstr.dir", before);
            }
        }
    }
}
