package io.clstr.junit.history;

import io.clstr.junit.internal.check.CheckContext;
import io.clstr.junit.internal.check.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Fake kv-store nodes sharing one store, as a {@link CheckContext} with a short request timeout. */
final class KvFakeCluster implements CheckContext, AutoCloseable {

    private final List<KvFake> nodes = new ArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Http http = new Http(this::nodes);

    KvFakeCluster(int size) {
        Map<String, String> shared = new ConcurrentHashMap<>();
        for (int i = 1; i <= size; i++) {
            nodes.add(new KvFake("n" + i, shared));
        }
    }

    KvFake node(int number) {
        return nodes.get(number - 1);
    }

    @Override
    public List<KvFake> nodes() {
        return nodes;
    }

    @Override
    public Http http() {
        return http;
    }

    @Override
    public void event(String text) {
        events.add(text);
    }

    @Override
    public Duration requestTimeout() {
        return Duration.ofMillis(300);
    }

    @Override
    public void close() {
        nodes.forEach(KvFake::close);
        http.close();
    }
}
