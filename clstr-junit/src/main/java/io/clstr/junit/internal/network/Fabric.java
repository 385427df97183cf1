package io.clstr.junit.internal.network;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import io.clstr.junit.internal.log.RunLog;
import io.clstr.junit.network.Impairment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The network between the nodes: one Toxiproxy proxy per directed pair ({@code ni-nj}
 * is ni's route to nj), and the faults of DESIGN.md §4 expressed as exact toxics.
 *
 * <p>On proxy {@code ni-nj} the upstream stream carries what ni sends on connections it
 * opened to nj, the downstream stream carries nj's replies. A black hole is a
 * {@code timeout} toxic with timeout 0: data dropped silently, connections kept open.
 * Not thread-safe: one test thread drives it.
 */
public final class Fabric implements AutoCloseable {
    private static final String PARTITION = "partition";
    private static final String CUT = "cut";
    private static final String IMPAIR = "impair";

    private final ToxiproxyClient client;
    private final RunLog log;
    private final Map<String, ProxyRoute> routes = new LinkedHashMap<>();
    private final Map<String, Proxy> proxies = new HashMap<>();
    /** Toxics present, by proxy name then toxic name. */
    private final Map<String, Map<String, Toxic>> toxics = new HashMap<>();

    private final List<String> nodes;

    private Fabric(ToxiproxyClient client, RunLog log, List<String> nodes) {
        this.client = client;
        this.log = log;
        this.nodes = List.copyOf(nodes);
    }

    /** Creates a proxy for every route. {@code nodes} are every node's names in order. */
    public static Fabric create(ToxiproxyClient client, RunLog log, List<String> nodes, List<ProxyRoute> routes) {
        Fabric fabric = new Fabric(client, log, nodes);
        try {
            for (ProxyRoute r : routes) {
                fabric.routes.put(r.name(), r);
                fabric.proxies.put(r.name(), client.createProxy(r.name(), r.listen(), r.upstream()));
                fabric.toxics.put(r.name(), new HashMap<>());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the node-to-node proxies: " + e.getMessage(), e);
        }
        return fabric;
    }

    /** The route node {@code from} is given for node {@code to}. */
    public String route(String from, String to) {
        ProxyRoute r = routes.get(from + "-" + to);
        if (r == null) {
            throw new IllegalArgumentException("no route from " + from + " to " + to);
        }
        return r.route();
    }

    /**
     * Replaces any earlier partition: for every i, j in different groups, black-holes both
     * streams of {@code ni-nj} and {@code nj-ni}. Nodes in no group keep full connectivity.
     *
     * <p>The new black holes go in before the old ones that no longer apply come out, so a pair
     * apart in both partitions stays apart throughout: its toxics are kept (and its connections
     * not closed), never removed and added again, which would let traffic through in between.
     */
    public void partition(List<? extends Collection<String>> groups) {
        Map<String, Integer> groupOf = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            for (String n : groups.get(g)) {
                if (groupOf.put(n, g) != null) {
                    throw new IllegalArgumentException(n + " is in two partition groups");
                }
            }
        }
        Set<String> apart = new LinkedHashSet<>();
        for (ProxyRoute r : routes.values()) {
            Integer gFrom = groupOf.get(r.from());
            Integer gTo = groupOf.get(r.to());
            if (gFrom != null && gTo != null && !gFrom.equals(gTo)) {
                apart.add(r.name());
                blackHole(r.name(), PARTITION, ToxicDirection.UPSTREAM);
                blackHole(r.name(), PARTITION, ToxicDirection.DOWNSTREAM);
            }
        }
        for (String proxy : routes.keySet()) {
            if (!apart.contains(proxy)) {
                removeToxics(proxy, name -> name.startsWith(PARTITION + "_"));
            }
        }
        List<String> described = new ArrayList<>();
        for (Collection<String> group : groups) {
            described.add(String.join(", ", group));
        }
        log.fault("PARTITION: " + String.join(" | ", described));
        for (String n : groupOf.keySet()) {
            List<String> others = new ArrayList<>();
            for (String m : groupOf.keySet()) {
                if (!groupOf.get(m).equals(groupOf.get(n))) {
                    others.add(m);
                }
            }
            others.sort(null);
            log.event(n, "PARTITIONED FROM: " + String.join(", ", others));
        }
    }

    /** All bytes from {@code from} to {@code to} are lost; the other direction still flows. */
    public void cut(String from, String to) {
        blackHole(from + "-" + to, CUT, ToxicDirection.UPSTREAM);
        blackHole(to + "-" + from, CUT, ToxicDirection.DOWNSTREAM);
        log.fault("CUT: " + from + " -> " + to);
    }

    /** Removes every partition and cut (Toxiproxy closes the affected connections); impairments stay. */
    public void heal() {
        removeToxics(name -> name.startsWith(PARTITION + "_") || name.startsWith(CUT + "_"));
        log.fault("PARTITION HEALED");
    }

    /** Degrades what the selected nodes send: upstream of {@code n-*} and downstream of {@code *-n}. */
    public void impair(Collection<String> selected, Impairment impairment) {
        for (String n : selected) {
            for (ProxyRoute r : routes.values()) {
                if (r.from().equals(n)) {
                    addImpairment(r.name(), ToxicDirection.UPSTREAM, impairment);
                }
                if (r.to().equals(n)) {
                    addImpairment(r.name(), ToxicDirection.DOWNSTREAM, impairment);
                }
            }
            log.fault(n, "IMPAIRED: " + impairment.describe());
        }
    }

    /** Removes the impairments of the selected nodes (every node when {@code selected} is empty). */
    public void repair(Collection<String> selected) {
        Set<String> which = new LinkedHashSet<>(selected.isEmpty() ? nodes : selected);
        for (ProxyRoute r : routes.values()) {
            if (which.contains(r.from())) {
                removeToxics(r.name(), name -> name.startsWith(IMPAIR + "_") && name.endsWith("_upstream"));
            }
            if (which.contains(r.to())) {
                removeToxics(r.name(), name -> name.startsWith(IMPAIR + "_") && name.endsWith("_downstream"));
            }
        }
        for (String n : which) {
            log.fault(n, "REPAIRED");
        }
    }

    /** The toxic names on a proxy, for tests and diagnostics. */
    public Set<String> toxicNames(String proxy) {
        return Set.copyOf(toxics.getOrDefault(proxy, Map.of()).keySet());
    }

    private void blackHole(String proxy, String fault, ToxicDirection stream) {
        String name = fault + "_" + stream.name().toLowerCase();
        if (toxics.get(proxy).containsKey(name)) {
            return;
        }
        try {
            toxics.get(proxy).put(name, proxy(proxy).toxics().timeout(name, stream, 0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot add " + name + " to proxy " + proxy + ": " + e.getMessage(), e);
        }
    }

    private void addImpairment(String proxy, ToxicDirection stream, Impairment impairment) {
        String name =
                IMPAIR + "_" + impairment.toxicType() + "_" + stream.name().toLowerCase();
        Map<String, Toxic> present = toxics.get(proxy);
        try {
            Toxic old = present.remove(name);
            if (old != null) {
                old.remove();
            }
            var list = proxy(proxy).toxics();
            Toxic t;
            if (impairment instanceof Impairment.Latency l) {
                t = list.latency(name, stream, l.millis()).setJitter(l.jitterMillis());
            } else if (impairment instanceof Impairment.Bandwidth b) {
                t = list.bandwidth(name, stream, b.kilobytesPerSecond());
            } else {
                Impairment.Loss loss = (Impairment.Loss) impairment;
                t = list.timeout(name, stream, 0);
                t.setToxicity((float) loss.p());
            }
            present.put(name, t);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot add " + name + " to proxy " + proxy + ": " + e.getMessage(), e);
        }
    }

    private void removeToxics(Predicate<String> which) {
        for (String proxy : routes.keySet()) {
            removeToxics(proxy, which);
        }
    }

    private void removeToxics(String proxy, Predicate<String> which) {
        var present = toxics.get(proxy);
        for (var it = present.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (which.test(e.getKey())) {
                try {
                    e.getValue().remove();
                } catch (IOException ex) {
                    throw new UncheckedIOException(
                            "cannot remove " + e.getKey() + " from " + proxy + ": " + ex.getMessage(), ex);
                }
                it.remove();
            }
        }
    }

    private Proxy proxy(String name) {
        Proxy p = proxies.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no proxy " + name);
        }
        return p;
    }

    /** Deletes every proxy this fabric created (best effort: the server may already be gone). */
    @Override
    public void close() {
        for (Proxy p : proxies.values()) {
            try {
                p.delete();
            } catch (IOException ignored) {
                // the Toxiproxy server is closed right after; its listeners go with it
            }
        }
        proxies.clear();
    }
}
