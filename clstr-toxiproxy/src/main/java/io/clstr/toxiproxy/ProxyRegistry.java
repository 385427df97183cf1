package io.clstr.toxiproxy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Every proxy by name, and the operations of the API on them. One request at a time changes anything: each
 * operation holds this registry's lock while the event loop applies it to live sockets, and returns once it did.
 */
final class ProxyRegistry {
    private final TreeMap<String, Proxy> proxies = new TreeMap<>();
    private final EventLoop loop;
    private final Timers timers;
    private final long seed;

    /** What POST /populate did before it stopped, and why it stopped (null when it did not). */
    record Populated(List<Proxy> proxies, ApiException failure) {}

    ProxyRegistry(EventLoop loop, Timers timers, long seed) {
        this.loop = loop;
        this.timers = timers;
        this.seed = seed;
    }

    synchronized List<Proxy> all() {
        return new ArrayList<>(proxies.values());
    }

    synchronized Proxy get(String name) throws ApiException {
        Proxy proxy = proxies.get(name);
        if (proxy == null) {
            throw ApiException.proxyNotFound();
        }
        return proxy;
    }

    synchronized Proxy create(Requests.NewProxy request) throws ApiException {
        if (proxies.containsKey(request.name())) {
            throw ApiException.proxyExists();
        }
        Proxy proxy = newProxy(request);
        proxies.put(proxy.name(), proxy);
        return proxy;
    }

    /** Creates or replaces each proxy in turn; a proxy with the same listen address and upstream is kept as is. */
    synchronized Populated populate(List<Requests.NewProxy> requests) {
        List<Proxy> done = new ArrayList<>();
        for (Requests.NewProxy request : requests) {
            Proxy existing = proxies.get(request.name());
            if (existing != null
                    && existing.listen().equals(request.listen())
                    && existing.upstream().equals(request.upstream())) {
                done.add(existing);
                continue;
            }
            try {
                if (existing != null) {
                    onLoop(() -> existing.stop());
                }
                Proxy proxy = newProxy(request);
                proxies.put(proxy.name(), proxy);
                done.add(proxy);
            } catch (ApiException e) {
                return new Populated(done, e);
            }
        }
        return new Populated(done, null);
    }

    synchronized Proxy update(String name, Requests.ProxyChange change) throws ApiException {
        Proxy proxy = get(name);
        InetSocketAddress bind = null;
        boolean restart;
        try {
            bind = HostPort.listenAddress(change.listen());
            restart = !HostPort.format(bind).equals(proxy.listen())
                    || !change.upstream().equals(proxy.upstream());
        } catch (IOException e) {
            if (change.enabled()) {
                throw new ApiException(500, e.getMessage(), e);
            }
            restart = true;
        }
        InetSocketAddress upstreamAddress = restart ? HostPort.upstreamAddress(change.upstream()) : null;
        InetSocketAddress bindAddress = bind;
        boolean restarting = restart;
        onLoop(() -> proxy.update(
                change.listen(), bindAddress, change.upstream(), upstreamAddress, restarting, change.enabled()));
        return proxy;
    }

    synchronized void delete(String name) throws ApiException {
        Proxy proxy = get(name);
        onLoop(proxy::stop);
        proxies.remove(name);
    }

    /** Every proxy enabled again and every toxic removed; the proxies stay. */
    synchronized void reset() throws ApiException {
        for (Proxy proxy : proxies.values()) {
            InetSocketAddress bind = proxy.running() ? null : listenAddress(proxy.listen());
            onLoop(() -> {
                if (bind != null) {
                    proxy.start(bind);
                }
                proxy.removeAllToxics();
            });
        }
    }

    synchronized ToxicSpec addToxic(String proxyName, JsonNode body) throws ApiException {
        Proxy proxy = get(proxyName);
        ToxicSpec spec = Requests.newToxic(body, name -> proxy.toxic(name) != null);
        onLoop(() -> proxy.addToxic(spec));
        return spec;
    }

    synchronized ToxicSpec toxic(String proxyName, String toxicName) throws ApiException {
        ToxicSpec spec = get(proxyName).toxic(toxicName);
        if (spec == null) {
            throw ApiException.toxicNotFound();
        }
        return spec;
    }

    synchronized ToxicSpec updateToxic(String proxyName, String toxicName, JsonNode body) throws ApiException {
        Proxy proxy = get(proxyName);
        ToxicSpec current = toxic(proxyName, toxicName);
        ToxicSpec spec = Requests.toxicChange(body, current);
        onLoop(() -> proxy.updateToxic(spec));
        return spec;
    }

    synchronized void removeToxic(String proxyName, String toxicName) throws ApiException {
        Proxy proxy = get(proxyName);
        toxic(proxyName, toxicName);
        onLoop(() -> proxy.removeToxic(toxicName));
    }

    /** Stops every proxy (listeners and connections); the registry is empty afterwards. */
    synchronized void closeAll() {
        try {
            loop.call(() -> {
                proxies.values().forEach(Proxy::stop);
                return null;
            });
        } catch (IOException e) {
            System.getLogger(ProxyRegistry.class.getName())
                    .log(System.Logger.Level.WARNING, "stopping the proxies failed", e);
        }
        proxies.clear();
    }

    private Proxy newProxy(Requests.NewProxy request) throws ApiException {
        Proxy proxy = new Proxy(
                request.name(),
                request.listen(),
                request.upstream(),
                HostPort.upstreamAddress(request.upstream()),
                loop,
                timers,
                seed);
        if (request.enabled()) {
            InetSocketAddress bind = listenAddress(request.listen());
            onLoop(() -> proxy.start(bind));
        }
        return proxy;
    }

    private static InetSocketAddress listenAddress(String listen) throws ApiException {
        try {
            return HostPort.listenAddress(listen);
        } catch (IOException e) {
            throw new ApiException(500, e.getMessage(), e);
        }
    }

    /** A change of live state, made on the loop thread. */
    private interface LoopAction {
        void run() throws IOException;
    }

    private void onLoop(LoopAction action) throws ApiException {
        try {
            loop.call(() -> {
                action.run();
                return null;
            });
        } catch (IOException e) {
            throw new ApiException(500, e.getMessage(), e);
        }
    }
}
