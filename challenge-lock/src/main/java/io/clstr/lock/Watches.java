package io.clstr.lock;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Stage;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.history.ClientLoops;
import io.clstr.junit.history.Completion;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.History;
import io.clstr.junit.lock.WatchChecks;
import io.clstr.junit.lock.WatchInput;
import io.clstr.junit.lock.WatchOutput;
import io.clstr.junit.lock.WatchOutput.Event;
import io.clstr.junit.raft.RaftView;
import io.clstr.junit.raft.RaftView.Leader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 6: watches. {@code GET /watch/{key}?rev=N&wait=S} answers the writes from revision N on,
 * waiting for the first when there is none yet. The event history is part of the replicated state:
 * a watcher resumes on a new leader with no gap, and old revisions are compacted (410).
 */
@ClstrCluster(nodes = 3, requestTimeoutMillis = 1000)
@Stage(key = "watches", title = "Watches")
public class Watches {

    /** How soon a waiting watch must answer a write, after the write's answer. */
    private static final Duration PROMPT = Duration.ofMillis(500);

    /** The most events a server keeps (the guide's compaction rule): older revisions answer 410. */
    static final int RETAINED = 1000;

    private static final String[] HISTORY = {
        "Append an event to the history when each write's entry is applied, with the write's revision.",
        "Keep the history in the replicated state (it is rebuilt by replaying the log), not in the leader's memory."
    };

    @Test
    @DisplayName("A Waiting Watch Returns Within 0.5 s of a Write")
    void aWaitingWatchReturnsWithin05sOfAWrite(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        String key = Names.of(cluster, "watched");
        long first = api.put(key, "", "before", "PUT /kv/{key} must answer 200.");
        CompletableFuture<Response> watch = CompletableFuture.supplyAsync(() -> cluster.send(
                api.target(),
                Request.get("/watch/" + key + "?rev=" + (first + 1) + "&wait=3")
                        .withFollowRedirects(true)
                        .withTimeout(Duration.ofSeconds(4))));
        long sent = System.nanoTime();
        while (System.nanoTime() - sent < TimeUnit.MILLISECONDS.toNanos(500)) {
            if (watch.isDone()) {
                throw Failure.of("GET /watch/" + key + "?rev=" + (first + 1) + "&wait=3 with no write after "
                                + "revision " + first)
                        .expected("no answer until a write comes (or 3 s pass)")
                        .found(watch.join().toString())
                        .hint(
                                "A watch with nothing to report yet must wait, up to wait seconds.",
                                "Park the request until a write it covers is applied or the wait runs out.")
                        .error();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        long written = api.put(key, "", "after", "PUT /kv/{key} must answer 200.");
        long acknowledged = System.nanoTime();
        Response answer;
        try {
            answer = watch.get(PROMPT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            answer = watch.join();
            throw Failure.of("GET /watch/" + key + "?rev=" + (first + 1) + "&wait=3, waiting when revision " + written
                            + " was written")
                    .expected("an answer within 0.5 s of the write's 200")
                    .found(answer + " after " + (System.nanoTime() - acknowledged) / 1_000_000 + " ms")
                    .hint(
                            "A waiting watch must answer as soon as a write it covers is applied.",
                            "Wake the waiting watches when applying each write, not on a polling timer.")
                    .error();
        }
        List<Event> events = WatchClient.events(answer, key).orElse(null);
        List<Event> expected = List.of(Event.put(written, key, "after"));
        if (answer.status() != 200 || !expected.equals(events)) {
            throw Failure.of("GET /watch/" + key + "?rev=" + (first + 1) + "&wait=3")
                    .expected("200 [{\"revision\": " + written + ", \"type\": \"put\", \"value\": \"after\"}]")
                    .found(answer.toString())
                    .hint(
                            "A watch answers a JSON array of the events with revision >= rev.",
                            "Give each event its write's revision, its type (put or delete) and a put's value.")
                    .error();
        }
    }

    @Test
    @DisplayName("Replay From an Old Revision, In Order")
    void replayFromAnOldRevisionInOrder(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        String prefix = Names.of(cluster, "replay") + "-";
        List<Event> expected = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            String key = prefix + (i % 3);
            if (i % 4 == 0) {
                long revision = LockApi.revision(api.httpDelete("/kv/" + key)
                        .status(200)
                        .hint("DELETE /kv/{key} must answer 200.")
                        .check()
                        .response());
                expected.add(Event.delete(revision, key));
            } else {
                long revision = api.put(key, "", "v" + i, "PUT /kv/{key} must answer 200.");
                expected.add(Event.put(revision, key, "v" + i));
            }
        }
        long from = expected.get(0).revision();
        expectEvents(api, "/watch/" + prefix + "?rev=" + from + "&prefix=true&wait=0", null, expected);
        String one = prefix + "1";
        List<Event> ofOne = expected.stream().filter(e -> e.key().equals(one)).toList();
        expectEvents(api, "/watch/" + one + "?rev=" + from + "&wait=0", one, ofOne);
        for (String bad : List.of("?rev=abc", "?rev=1&wait=4", "?rev=1&wait=x", "?rev=-1")) {
            api.httpGet("/watch/" + one + bad)
                    .status(400)
                    .hint(
                            "GET /watch/{key}" + bad + " must answer 400: rev is a revision and wait at most 3 s.",
                            "Validate rev (a whole number >= 0) and wait (0 to 3) before waiting.")
                    .check();
        }
    }

    @Test
    @DisplayName("Events Equal the Acknowledged Writes, in Revision Order")
    void eventsEqualTheAcknowledgedWritesInRevisionOrder(Cluster cluster) {
        writersAndWatcher(cluster, false);
    }

    @Test
    @DisplayName("Expiry Emits a Delete")
    void expiryEmitsADelete(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        String key = Names.of(cluster, "expiring");
        long put = api.put(key, "?ttl=2", "short-lived", "PUT /kv/{key}?ttl=2 must answer 200.");
        long acknowledged = System.nanoTime();
        long from = put + 1;
        List<Event> seen = new ArrayList<>();
        while (System.nanoTime() - acknowledged
                < Duration.ofSeconds(2).plus(KeyTtl.STABLE_SLACK).toNanos()) {
            Response answer = api.httpGet("/watch/" + key + "?rev=" + from + "&wait=1")
                    .status(200)
                    .timeout(Duration.ofSeconds(2))
                    .hint("GET /watch/{key}?rev=N&wait=1 must answer 200 with a JSON array.")
                    .check()
                    .response();
            List<Event> events = WatchClient.events(answer, key).orElse(List.of());
            seen.addAll(events);
            if (events.stream().anyMatch(e -> e.type().equals("delete"))) {
                return;
            }
            if (!events.isEmpty()) {
                from = events.get(events.size() - 1).revision() + 1;
            }
        }
        throw Failure.of("a watch of " + key + " from revision " + (put + 1) + ", the key put with ttl=2")
                .expected("a delete event within 3.5 s of the put")
                .found(seen.toString())
                .hint(
                        "An expiry is a write: it must emit a delete event with its own revision.",
                        "Give the expiry entry a revision and append a delete event when applying it.")
                .error();
    }

    @Test
    @DisplayName("A Watcher Resumes After a Leader Kill With No Gap")
    void aWatcherResumesAfterALeaderKillWithNoGap(Cluster cluster) {
        writersAndWatcher(cluster, true);
    }

    @Test
    @DisplayName("A Compacted Revision Gives 410")
    void aCompactedRevisionGives410(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        String key = Names.of(cluster, "compacted");
        long first = api.put(key, "", "first", "PUT /kv/{key} must answer 200.");
        String filler = Names.of(cluster, "filler");
        int writes = RETAINED + 200;
        cluster.concurrently(
                writes, i -> api.put(filler + "-" + (i % 50), "", "f" + i, "PUT /kv/{key} must answer 200."));
        long last = api.put(key, "", "last", "PUT /kv/{key} must answer 200.");
        api.httpGet("/watch/" + key + "?rev=" + first + "&wait=0")
                .status(410)
                .body("revision compacted")
                .hint(
                        "After " + (writes + 1) + " more writes, revision " + first
                                + " must be compacted: keep at most " + "the last " + RETAINED + " events.",
                        "Drop the oldest events beyond " + RETAINED + " and answer 410 revision compacted for a rev "
                                + "below the oldest event kept.")
                .check();
        expectEvents(api, "/watch/" + key + "?rev=" + last + "&wait=0", key, List.of(Event.put(last, key, "last")));
    }

    /** 4 writers and a looping prefix watcher for a few seconds (and a leader kill); the events must match the writes. */
    private static void writersAndWatcher(Cluster cluster, boolean killLeader) {
        Leader leader = RaftView.awaitLeader(cluster);
        String prefix = Names.of(cluster, "events") + "-";
        History<WatchInput, WatchOutput> history = cluster.history();
        WatchClient client = new WatchClient(cluster, history);
        Entry<WatchInput, WatchOutput> start = client.put(98, leader.node(), prefix + "start", "start");
        if (start.completion() != Completion.OK
                || !(start.output() instanceof WatchOutput.Written w)
                || w.revision() < 0) {
            throw Failure.of("PUT /kv/" + prefix + "start on the leader")
                    .expected("200 with a Revision header")
                    .found(String.valueOf(start))
                    .hint("A PUT on the leader must answer 200 with the write's revision in a Revision header.")
                    .error();
        }
        long from = w.revision();
        AtomicInteger values = new AtomicInteger();
        Watcher watcher = new Watcher(cluster, client, 99, prefix, from);
        try (ClientLoops writers = ClientLoops.start(cluster, "writer", 4, (id, random) -> {
            String key = prefix + random.nextInt(5);
            if (random.nextInt(5) == 0) {
                client.delete(id, ClientLoops.pick(cluster, random), key);
            } else {
                client.put(id, ClientLoops.pick(cluster, random), key, "w" + values.incrementAndGet());
            }
        })) {
            Workloads.awaitOk(history, e -> e.output() instanceof WatchOutput.Written, 60, "writes");
            if (killLeader) {
                // The watcher stops, writes go on under the old leader, then it is killed: the watcher
                // resumes from where it stopped on the new leader, which must know those writes' events.
                watcher.close();
                Workloads.awaitOk(history, e -> e.output() instanceof WatchOutput.Written, 30, "writes");
                cluster.kill(leader.node());
                RaftView.awaitNewLeader(cluster, leader);
                cluster.start(leader.node());
                watcher = new Watcher(cluster, client, 99, prefix, watcher.next());
            }
            Workloads.awaitOk(history, e -> e.output() instanceof WatchOutput.Written, 60, "writes");
        } finally {
            watcher.close();
        }
        new Watcher(cluster, client, 99, prefix, watcher.next())
                .catchUp(lastAcknowledged(history), Duration.ofSeconds(10));
        cluster.assertHolds(
                history,
                WatchChecks.eventsMatchWrites(),
                killLeader
                        ? "After a leader kill, the watcher's events are not exactly the acknowledged writes."
                        : "The watcher's events are not exactly the acknowledged writes, in revision order.",
                HISTORY);
    }

    private static long lastAcknowledged(History<WatchInput, WatchOutput> history) {
        long last = 0;
        for (Entry<WatchInput, WatchOutput> e : history.entries()) {
            if (e.completion() == Completion.OK && e.output() instanceof WatchOutput.Written w) {
                last = Math.max(last, w.revision());
            }
        }
        return last;
    }

    private static void expectEvents(LockApi api, String path, String key, List<Event> expected) {
        Response answer = api.httpGet(path)
                .status(200)
                .hint("GET " + path + " must answer 200 with a JSON array of events.", HISTORY)
                .check()
                .response();
        List<Event> events = WatchClient.events(answer, key).orElse(null);
        if (!expected.equals(events)) {
            throw Failure.of("GET " + path)
                    .expected(expected.toString())
                    .found(events == null ? answer.toString() : events.toString())
                    .hint(
                            "A watch from an old revision must replay every write since, in revision order.",
                            "Events are {\"revision\", \"type\", \"value\"} (a put's value; \"key\" too with prefix=true).",
                            HISTORY[0],
                            HISTORY[1])
                    .error();
        }
    }
}
