package io.clstr.junit.internal.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import io.clstr.junit.internal.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Removes the containers, networks and volumes of docker runs, found by label: one run's at its end, and at
 * the start of a run those of every earlier run whose JVM is gone (a crash, a kill -9). Images stay.
 */
final class Leftovers {
    private static final Duration REMOVAL_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_NANOS = Duration.ofMillis(50).toNanos();

    private final DockerClient client;

    Leftovers(DockerClient client) {
        this.client = client;
    }

    /** Removes what runs whose owner is gone left behind; returns their run ids (empty when there were none). */
    List<String> removeDeadRuns() {
        TreeSet<String> runs = new TreeSet<>();
        remove(
                labels -> {
                    boolean gone = RunLabels.ownerIsGone(labels.get(RunLabels.OWNER));
                    if (gone) {
                        runs.add(labels.getOrDefault(RunLabels.RUN, "?"));
                    }
                    return gone;
                },
                RunLabels.CLSTR + "=true");
        return List.copyOf(runs);
    }

    /** Removes everything labelled with run {@code runId}. */
    void removeRun(String runId) {
        remove(labels -> true, RunLabels.RUN + "=" + runId);
    }

    /** The owners of live runs' networks, for a message when the subnet is taken. */
    List<String> liveOwners() {
        List<String> owners = new ArrayList<>();
        for (Network n : client.listNetworksCmd()
                .withFilter("label", List.of(RunLabels.CLSTR + "=true"))
                .exec()) {
            String owner = n.getLabels() == null ? null : n.getLabels().get(RunLabels.OWNER);
            if (owner != null && !RunLabels.ownerIsGone(owner)) {
                owners.add(owner);
            }
        }
        return owners;
    }

    /**
     * Removes the matching containers, then (once they are gone) networks and volumes. Tries every resource even
     * when one fails, then throws the first failure.
     */
    private void remove(Predicate<Map<String, String>> which, String labelFilter) {
        List<String> filter = List.of(labelFilter);
        List<RuntimeException> failures = new ArrayList<>();
        for (Container c : client.listContainersCmd()
                .withShowAll(true)
                .withFilter("label", filter)
                .exec()) {
            if (which.test(labelsOf(c.getLabels()))) {
                attempt(failures, () -> client.removeContainerCmd(c.getId())
                        .withForce(true)
                        .withRemoveVolumes(true)
                        .exec());
            }
        }
        awaitNoContainers(which, filter);
        for (Network n : client.listNetworksCmd().withFilter("label", filter).exec()) {
            if (which.test(labelsOf(n.getLabels()))) {
                attempt(failures, () -> client.removeNetworkCmd(n.getId()).exec());
            }
        }
        List<InspectVolumeResponse> volumes =
                client.listVolumesCmd().withFilter("label", filter).exec().getVolumes();
        for (InspectVolumeResponse v : volumes == null ? List.<InspectVolumeResponse>of() : volumes) {
            if (which.test(labelsOf(v.getLabels()))) {
                attempt(failures, () -> client.removeVolumeCmd(v.getName()).exec());
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw new IllegalStateException(
                    "cannot remove every container, network and volume labelled " + labelFilter + ": "
                            + EngineErrors.message(first),
                    first);
        }
    }

    /** Waits until no matching container is left: a removal another thread started may still be under way. */
    private void awaitNoContainers(Predicate<Map<String, String>> which, List<String> filter) {
        // cleanup: not cancelled by an interrupt; when it times out, the removals that follow fail and say why
        Deadline.in(REMOVAL_TIMEOUT)
                .untilUninterruptibly(
                        Duration.ofNanos(POLL_NANOS),
                        () -> client.listContainersCmd().withShowAll(true).withFilter("label", filter).exec().stream()
                                .noneMatch(c -> which.test(labelsOf(c.getLabels()))));
    }

    private static Map<String, String> labelsOf(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }

    private static void attempt(List<RuntimeException> failures, Runnable removal) {
        try {
            removal.run();
        } catch (NotFoundException e) {
            // removed meanwhile (by the run itself, or with its container): nothing left to do
        } catch (ConflictException e) {
            if (!EngineErrors.message(e).contains("already in progress")) {
                failures.add(e);
            }
        } catch (DockerException e) {
            failures.add(e);
        }
    }
}
