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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The network between the nodes: one Toxiproxy proxy per directed pair ({@code ni-nj}
 * is ni's route to nj), and the faults of DESIGN.md §4 expressed as exact toxics.
 *
 * <p>On proxy {@code ni-nj} the upstream stream carries what ni sends on connections it
 * opened to nj, the downstream stream carries nj's replies. A black hole is a
 * {@code timeout} toxic with timeout 0: data dropped silently, connections kept open.
 * Not thread-safe: one test thread drives it. The calls to the Toxiproxy API that one fault makes
 * go out together, a few at a time, so that the fault takes effect on every pair at about once
 * and costs a few round trips rather than one per toxic.
 */
public final class Fabric implements AutoCloseable {
    private static final String PARTITION = "partition";
    private static final String CUT = "cut";
    private static final String IMPAIR = "impair";
    /** Calls to the Toxiproxy API in flight at most. */
    private static final int IN_FLIGHT = 8;

    private final RunLog log;
    private final Map<String, ProxyRoute> routes = new LinkedHashMap<>();
    private final Map<String, Proxy> proxies = new HashMap<>();
    /** Toxics present, by proxy name then toxic name. */
    private final Map<String, Map<String, Toxic>> toxics = new HashMap<>();

    private final List<String> nodes;
    private final ExecutorService calls;

    private Fabric(RunLog log, List<String> nodes) {
        this.log = log;
        this.nodes = List.copyOf(nodes);
        AtomicInteger threads = new AtomicInteger();
        this.calls = Executors.newFixedThreadPool(IN_FLIGHT, r -> {
            Thread t = new Thread(r, "clstr-fabric-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** One call to the Toxiproxy API, run on the fabric's threads; what it returns is applied on the caller's. */
    private interface Call<T> {
        T run() throws IOException;
    }

    /**
     * Runs every call, {@link #IN_FLIGHT} at a time; once all have ended, hands each result to
     * {@code done} (on the calling thread, in order) and throws the first failure, as {@code what}
     * describes the call that failed.
     */
    private <T> void all(List<Call<T>> work, IntFunction<String> what, BiConsumer<Integer, T> done) {
        List<Future<T>> futures = new ArrayList<>();
        for (Call<T> call : work) {
            futures.add(calls.submit(call::run));
        }
        UncheckedIOException first = null;
        boolean interrupted = false;
        for (int i = 0; i < futures.size(); i++) {
            while (true) {
                try {
                    done.accept(i, futures.get(i).get());
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the calls are short: the fabric is not left half-changed
                } catch (ExecutionException e) {
                    if (first == null) {
                        IOException cause = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                        first = new UncheckedIOException(what.apply(i) + ": " + cause.getMessage(), cause);
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Creates a proxy for every route, through the client {@code toxiproxy} gives, which it asks for
     * only when there are routes (a single node has none, and its layout no Toxiproxy server).
     * {@code nodes} are every node's names in order.
     */
    public static Fabric create(
            Supplier<ToxiproxyClient> toxiproxy, RunLog log, List<String> nodes, List<ProxyRoute> routes) {
        Fabric fabric = new Fabric(log, nodes);
        if (routes.isEmpty()) {
            return fabric;
        }
        ToxiproxyClient client = toxiproxy.get();
        try {
            List<Call<Proxy>> creations = new ArrayList<>();
            for (ProxyRoute r : routes) {
                creations.add(() -> client.createProxy(r.name(), r.listen(), r.upstream()));
            }
            fabric.all(creations, i -> "cannot create the node-to-node proxies", (i, proxy) -> {
                ProxyRoute r = routes.get(i);
                fabric.routes.put(r.name(), r);
                fabric.proxies.put(r.name(), proxy);
                fabric.toxics.put(r.name(), new HashMap<>());
            });
        } catch (RuntimeException e) {
            fabric.calls.shutdownNow();
            throw e;
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
        List<Spot> spots = new ArrayList<>();
        for (ProxyRoute r : routes.values()) {
            Integer gFrom = groupOf.get(r.from());
            Integer gTo = groupOf.get(r.to());
            if (gFrom != null && gTo != null && !gFrom.equals(gTo)) {
                apart.add(r.name());
                spots.add(new Spot(r.name(), PARTITION, ToxicDirection.UPSTREAM));
                spots.add(new Spot(r.name(), PARTITION, ToxicDirection.DOWNSTREAM));
            }
        }
        blackHoles(spots);
        removeToxics((proxy, name) -> !apart.contains(proxy) && name.startsWith(PARTITION + "_"));
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
        blackHoles(List.of(
                new Spot(from + "-" + to, CUT, ToxicDirection.UPSTREAM),
                new Spot(to + "-" + from, CUT, ToxicDirection.DOWNSTREAM)));
        log.fault("CUT: " + from + " -> " + to);
    }

    /** Removes every partition and cut (Toxiproxy closes the affected connections); impairments stay. */
    public void heal() {
        removeToxics((proxy, name) -> name.startsWith(PARTITION + "_") || name.startsWith(CUT + "_"));
        log.fault("PARTITION HEALED");
    }

    /** Degrades what the selected nodes send: upstream of {@code n-*} and downstream of {@code *-n}. */
    public void impair(Collection<String> selected, Impairment impairment) {
        String fault = IMPAIR + "_" + impairment.toxicType();
        List<Spot> spots = new ArrayList<>();
        for (String n : selected) {
            for (ProxyRoute r : routes.values()) {
                if (r.from().equals(n)) {
                    spots.add(new Spot(r.name(), fault, ToxicDirection.UPSTREAM));
                }
                if (r.to().equals(n)) {
                    spots.add(new Spot(r.name(), fault, ToxicDirection.DOWNSTREAM));
                }
            }
        }
        List<Call<Toxic>> replacements = new ArrayList<>();
        for (Spot spot : spots) {
            Toxic old = toxics.get(spot.proxy()).remove(spot.name());
            Proxy p = proxy(spot.proxy());
            replacements.add(() -> {
                if (old != null) {
                    old.remove();
                }
                return create(p, spot.name(), spot.stream(), impairment);
            });
        }
        all(
                replacements,
                i -> "cannot add " + fault + " to proxy " + spots.get(i).proxy(),
                (i, toxic) -> toxics.get(spots.get(i).proxy()).put(toxic.getName(), toxic));
        for (String n : selected) {
            log.fault(n, "IMPAIRED: " + impairment.describe());
        }
    }

    /** Removes the impairments of the selected nodes (every node when {@code selected} is empty). */
    public void repair(Collection<String> selected) {
        Set<String> which = new LinkedHashSet<>(selected.isEmpty() ? nodes : selected);
        removeToxics((proxy, name) -> name.startsWith(IMPAIR + "_")
                && ((name.endsWith("_upstream")
                                && which.contains(routes.get(proxy).from()))
                        || (name.endsWith("_downstream")
                                && which.contains(routes.get(proxy).to()))));
        for (String n : which) {
            log.fault(n, "REPAIRED");
        }
    }

    /** The toxic names on a proxy, for tests and diagnostics. */
    public Set<String> toxicNames(String proxy) {
        return Set.copyOf(toxics.getOrDefault(proxy, Map.of()).keySet());
    }

    /** Where a fault's toxic goes: one stream of a proxy; the toxic is named after both. */
    private record Spot(String proxy, String fault, ToxicDirection stream) {
        String name() {
            return fault + "_" + stream.name().toLowerCase();
        }
    }

    /** Puts every black hole in place (those present already stay as they are), all at once. */
    private void blackHoles(List<Spot> spots) {
        List<Spot> missing = spots.stream()
                .filter(h -> !toxics.get(h.proxy()).containsKey(h.name()))
                .toList();
        List<Call<Toxic>> adds = new ArrayList<>();
        for (Spot h : missing) {
            Proxy p = proxy(h.proxy());
            adds.add(() -> p.toxics().timeout(h.name(), h.stream(), 0));
        }
        all(
                adds,
                i -> "cannot add " + missing.get(i).name() + " to proxy "
                        + missing.get(i).proxy(),
                (i, toxic) ->
                        toxics.get(missing.get(i).proxy()).put(missing.get(i).name(), toxic));
    }

    private static Toxic create(Proxy proxy, String name, ToxicDirection stream, Impairment impairment)
            throws IOException {
        var list = proxy.toxics();
        if (impairment instanceof Impairment.Latency l) {
            return list.latency(name, stream, l.millis()).setJitter(l.jitterMillis());
        }
        if (impairment instanceof Impairment.Bandwidth b) {
            return list.bandwidth(name, stream, b.kilobytesPerSecond());
        }
        Impairment.Loss loss = (Impairment.Loss) impairment;
        Toxic t = list.timeout(name, stream, 0);
        t.setToxicity((float) loss.p());
        return t;
    }

    /** Removes, all at once, every toxic that {@code which} selects by proxy and toxic name. */
    private void removeToxics(BiPredicate<String, String> which) {
        List<Map.Entry<String, String>> gone = new ArrayList<>(); // proxy, toxic name
        List<Call<Boolean>> removals = new ArrayList<>();
        for (String proxy : routes.keySet()) {
            for (Map.Entry<String, Toxic> e : toxics.get(proxy).entrySet()) {
                if (which.test(proxy, e.getKey())) {
                    Toxic toxic = e.getValue();
                    gone.add(Map.entry(proxy, e.getKey()));
                    removals.add(() -> {
                        toxic.remove();
                        return Boolean.TRUE;
                    });
                }
            }
        }
        all(
                removals,
                i -> "cannot remove " + gone.get(i).getValue() + " from "
                        + gone.get(i).getKey(),
                (i, removed) ->
                        toxics.get(gone.get(i).getKey()).remove(gone.get(i).getValue()));
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
        List<Call<Boolean>> deletions = new ArrayList<>();
        for (Proxy p : proxies.values()) {
            deletions.add(() -> {
                try {
                    p.delete();
                } catch (IOException ignored) {
                    // the Toxiproxy server is closed right after; its listeners go with it
                }
                return Boolean.TRUE;
            });
        }
        try {
            all(deletions, i -> "cannot delete a proxy", (i, deleted) -> {});
        } finally {
            proxies.clear();
            calls.shutdownNow();
        }
    }
}
