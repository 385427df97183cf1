package io.clstr.junit.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.clstr.junit.Cluster;
import io.clstr.junit.ServerException;
import io.clstr.junit.SetupException;
import io.clstr.junit.internal.log.LogEntry;
import io.clstr.junit.internal.log.RunLog;
import io.clstr.junit.testnode.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The docker runtime leaves no container, network or volume behind: after a run closes, after Ctrl-C (SIGINT)
 * and, when the JVM was killed, at the next run's start. The image stays for the next run.
 */
@RequiresDocker
class DockerCleanupTest {
    private static final Duration STARTUP = Duration.ofSeconds(180);

    private final Path folder = TestNodeImage.folder();
    private final String owner = RunLabels.create().owner();

    private Cluster cluster(int nodes) {
        return Cluster.builder(folder)
                .runtime(Cluster.RuntimeKind.DOCKER)
                .nodes(nodes)
                .healthTimeout(Duration.ofSeconds(60))
                .start();
    }

    @Test
    void closeRemovesTheContainersTheNetworkAndTheVolumesButKeepsTheImage() {
        Resources during;
        try (Cluster c = cluster(2)) {
            during = Resources.ownedBy(owner);
        }
        assertThat(during.containers())
                .hasSize(3)
                .anyMatch(n -> n.endsWith("-toxiproxy"))
                .anyMatch(n -> n.endsWith("-n1"))
                .anyMatch(n -> n.endsWith("-n2"));
        assertThat(during.networks()).hasSize(1);
        assertThat(during.volumes()).hasSize(2).allMatch(n -> n.endsWith("-data"));
        assertThat(Resources.ownedBy(owner).isEmpty())
                .as("%s", Resources.ownedBy(owner))
                .isTrue();
        assertThat(DockerEngine.require()
                        .client()
                        .listImagesCmd()
                        .withImageNameFilter("clstr/challenge-docker-testnode")
                        .exec())
                .isNotEmpty();
    }

    @Test
    void aNodeThatExitsAtStartFailsTheStartWithItsOutputAndLeavesNothing() {
        ServerException e = catchThrowableOfType(ServerException.class, () -> Cluster.builder(folder)
                .runtime(Cluster.RuntimeKind.DOCKER)
                .nodes(1)
                .env(Map.of("EXIT_AT_START", "3"))
                .healthTimeout(Duration.ofSeconds(60))
                .start());

        assertThat(e).hasMessage("n1 exited with code 3 before becoming healthy");
        assertThat(e.detail()).contains("exiting with code 3 as EXIT_AT_START asks");
        assertThat(Resources.ownedBy(owner).isEmpty())
                .as("%s", Resources.ownedBy(owner))
                .isTrue();
    }

    @Test
    void aSecondRunWhileTheFirstLivesIsToldTheSubnetIsTaken() {
        try (Cluster first = cluster(1)) {
            assertThatThrownBy(() -> cluster(1))
                    .isInstanceOf(SetupException.class)
                    .hasMessageStartingWith("the subnet 10.0.42.0/24 is taken by another clstr run (" + owner + ")")
                    .hasMessageEndingWith("choose another with -Dclstr.subnet=<cidr>");
            assertThat(Resources.ownedBy(owner).containers()).hasSize(2);
        }
        assertThat(Resources.ownedBy(owner).isEmpty()).isTrue();
    }

    @Test
    void sigintRemovesEverything() throws Exception {
        String child;
        try (ChildJvm jvm = ChildJvm.start(DockerClusterMain.class, folder.toString(), "2")) {
            child = jvm.awaitLine("ready ", STARTUP).split(" ")[1];
            assertThat(Resources.ownedBy(child).containers()).hasSize(3);
            jvm.signal("INT");
            jvm.awaitExit(Duration.ofSeconds(60));
        }
        assertThat(Resources.ownedBy(child).isEmpty())
                .as("%s", Resources.ownedBy(child))
                .isTrue();
    }

    @Test
    void afterSigkillTheNextRunRemovesTheLeftovers() throws Exception {
        String child;
        try (ChildJvm jvm = ChildJvm.start(DockerClusterMain.class, folder.toString(), "2")) {
            child = jvm.awaitLine("ready ", STARTUP).split(" ")[1];
            jvm.signal("KILL");
            jvm.awaitExit(Duration.ofSeconds(60));
        }
        Resources left = Resources.ownedBy(child);
        assertThat(left.containers())
                .as("SIGKILL gives the JVM no chance to clean up")
                .hasSize(3);
        assertThat(left.networks()).hasSize(1);
        assertThat(left.volumes()).hasSize(2);

        try (Cluster next = cluster(1)) {
            assertThat(Resources.ownedBy(child).isEmpty())
                    .as("%s", Resources.ownedBy(child))
                    .isTrue();
            String run = left.networks().get(0).split("-")[1];
            assertThat(RunLog.read(folder.resolve(".clstr/logs/cluster")))
                    .extracting(LogEntry::message)
                    .contains("removed what crashed runs left behind: " + run);
        }
    }
}
