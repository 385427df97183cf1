package io.clstr.junit.internal.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import java.util.ArrayList;
import java.util.List;

/** The containers, networks and volumes that carry one label, as names: what a run holds or left behind. */
record Resources(List<String> containers, List<String> networks, List<String> volumes) {

    /** Everything labelled {@code key=value}. */
    static Resources labelled(String key, String value) {
        DockerClient client = DockerEngine.require().client();
        List<String> filter = List.of(key + "=" + value);
        List<String> containers = new ArrayList<>();
        client.listContainersCmd()
                .withShowAll(true)
                .withFilter("label", filter)
                .exec()
                .forEach(c -> containers.add(c.getNames()[0].substring(1)));
        List<String> networks = new ArrayList<>();
        client.listNetworksCmd().withFilter("label", filter).exec().forEach(n -> networks.add(n.getName()));
        List<String> volumes = new ArrayList<>();
        List<InspectVolumeResponse> found =
                client.listVolumesCmd().withFilter("label", filter).exec().getVolumes();
        (found == null ? List.<InspectVolumeResponse>of() : found).forEach(v -> volumes.add(v.getName()));
        return new Resources(List.copyOf(containers), List.copyOf(networks), List.copyOf(volumes));
    }

    /** Everything a run of the JVM {@code owner} created. */
    static Resources ownedBy(String owner) {
        return labelled(RunLabels.OWNER, owner);
    }

    boolean isEmpty() {
        return containers.isEmpty() && networks.isEmpty() && volumes.isEmpty();
    }
}
