package io.clstr.lock;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Stage;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.history.ClientLoops;
import io.clstr.junit.history.Completion;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.History;
import io.clstr.junit.linearizability.CasInput;
import io.clstr.junit.linearizability.CasOutput;
import io.clstr.junit.linearizability.Models;
import io.clstr.junit.raft.RaftView;
import io.clstr.junit.raft.RaftView.Leader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 2: compare-and-swap. Every write gets a cluster-wide, strictly increasing revision, and
 * conditional writes ({@code If-Match: N}, {@code If-None-Match: *}) are decided when their entry
 * is applied, so that racing writers cannot both win.
 */
@ClstrCluster(nodes = 3, requestTimeoutMillis = 1000)
@Stage(key = "cas", title = "Compare-and-Swap")
public class Cas {

    private static final String[] APPLY_TIME = {
        "Decide If-Match and If-None-Match when the entry is applied, on the state it is applied to.",
        "Checking on the leader before proposing lets two racing writers both see the old revision."
    };

    @Test
    @DisplayName("Revisions Increase")
    void revisionsIncrease(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        String a = Names.of(cluster, "rev-a");
        String b = Names.of(cluster, "rev-b");
        long first = api.put(a, "", "one", "PUT /kv/{key} must answer 200.");
        expectRevision(first, "PUT /kv/" + a, 0);
        long second = api.put(b, "", "two", "PUT /kv/{key} must answer 200.");
        expectRevision(second, "PUT /kv/" + b + " after PUT /kv/" + a, first);
        long third = api.put(a, "", "three", "PUT /kv/{key} must answer 200.");
        expectRevision(third, "PUT /kv/" + a + " again", second);
        long read = api.expectValue(a, "three", "GET /kv/{key} must answer 200 with the last value.");
        if (read != third) {
            throw Failure.of("GET /kv/" + a + " after its PUT answered Revision: " + third)
                    .expected("Revision: " + third + " (the revision of the key's last write)")
                    .found(read < 0 ? "no Revision header" : "Revision: " + read)
                    .hint(
                            "A GET answers the revision of the write that made the key's value.",
                            "Store each key's revision with its value.")
                    .error();
        }
        long deleted = LockApi.revision(api.httpDelete("/kv/" + a)
                .status(200)
                .hint("DELETE /kv/{key} must answer 200.")
                .check()
                .response());
        expectRevision(deleted, "DELETE /kv/" + a, third);
    }

    @Test
    @DisplayName("A Stale If-Match Is Rejected and the Value Unchanged")
    void aStaleIfMatchIsRejectedAndTheValueUnchanged(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        String key = Names.of(cluster, "swap");
        long first = api.put(key, "", "v1", "PUT /kv/{key} must answer 200.");
        long second = LockApi.revision(api.httpPut("/kv/" + key, "v2")
                .withHeader("If-Match", Long.toString(first))
                .status(200)
                .hint(
                        "PUT with If-Match: N, N being the key's revision, must answer 200.",
                        "Compare If-Match with the key's current revision (a whole number).")
                .check()
                .response());
        expectRevision(second, "PUT /kv/" + key + " with If-Match: " + first, first);
        api.httpPut("/kv/" + key, "v3")
                .withHeader("If-Match", Long.toString(first))
                .status(412)
                .body("revision mismatch")
                .hint(
                        "PUT with an If-Match that is no longer the key's revision must answer 412 revision mismatch.",
                        APPLY_TIME)
                .check();
        api.httpPut("/kv/" + key, "v4")
                .withHeader("If-None-Match", "*")
                .status(412)
                .body("key already exists")
                .hint("PUT with If-None-Match: * on an existing key must answer 412 key already exists.")
                .check();
        long read = api.expectValue(
                key, "v2", "Refused conditional writes must change nothing: the value is still the one of the swap.");
        if (read != second) {
            throw Failure.of("GET /kv/" + key + " after two refused writes")
                    .expected("Revision: " + second)
                    .found(read < 0 ? "no Revision header" : "Revision: " + read)
                    .hint("A refused write must not change the key's revision.")
                    .error();
        }
    }

    @Test
    @DisplayName("Concurrent Create-Only PUTs: Exactly One Wins")
    void concurrentCreateOnlyPutsExactlyOneWins(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        for (int round = 1; round <= 3; round++) {
            String key = Names.of(cluster, "create");
            Response[] answers = new Response[10];
            cluster.concurrently(
                    10,
                    i -> answers[i] = cluster.send(
                            api.target(),
                            Request.put("/kv/" + key, "writer-" + i)
                                    .withHeader("If-None-Match", "*")
                                    .withFollowRedirects(true)));
            List<String> winners = new ArrayList<>();
            List<String> other = new ArrayList<>();
            for (int i = 0; i < answers.length; i++) {
                Response answer = answers[i];
                if (answer.status() == 200) {
                    winners.add("writer-" + i);
                } else if (answer.status() != 412 || !answer.body().strip().equals("key already exists")) {
                    other.add("writer-" + i + ": " + answer);
                }
            }
            if (winners.size() != 1 || !other.isEmpty()) {
                throw Failure.of("10 concurrent PUT /kv/" + key + " with If-None-Match: *")
                        .expected("exactly one 200, nine 412 key already exists")
                        .found(winners.size() + " answered 200 " + winners
                                + (other.isEmpty() ? "" : ", others: " + other))
                        .hint("Exactly one create-only write may win a race on a new key.", APPLY_TIME)
                        .error();
            }
            api.expectValue(
                    key,
                    winners.get(0),
                    "The key must hold the value of the one create-only PUT that answered 200.",
                    APPLY_TIME);
        }
    }

    @Test
    @DisplayName("Read-Then-CAS Counters Survive a Leader Kill")
    void readThenCasCountersSurviveALeaderKill(Cluster cluster) {
        Leader leader = RaftView.awaitLeader(cluster);
        String key = Names.of(cluster, "counter");
        History<CasInput, CasOutput> history = cluster.history();
        CasClient client = new CasClient(cluster, history);
        Entry<CasInput, CasOutput> created = client.create(99, leader.node(), key, "0");
        if (created.completion() != Completion.OK || !created.output().applied()) {
            throw Failure.of("PUT /kv/" + key + " with If-None-Match: * on a new key")
                    .expected("200")
                    .found(String.valueOf(created))
                    .hint("A create-only PUT of a new key must answer 200.")
                    .error();
        }
        try (ClientLoops counters =
                ClientLoops.start(cluster, "counter", 4, (id, random) -> increment(cluster, client, id, key, random))) {
            Workloads.awaitOk(history, e -> e.input().kind() == CasInput.Kind.SWAP, 20, "increments");
            cluster.kill(leader.node());
            RaftView.awaitNewLeader(cluster, leader);
            cluster.start(leader.node());
            Workloads.awaitOk(history, e -> e.input().kind() == CasInput.Kind.SWAP, 40, "increments");
        }
        long ok = 0;
        long unknown = 0;
        for (Entry<CasInput, CasOutput> e : history.entries()) {
            if (e.input().kind() == CasInput.Kind.SWAP) {
                if (e.completion() == Completion.OK && e.output().applied()) {
                    ok++;
                } else if (e.completion() == Completion.INFO) {
                    unknown++;
                }
            }
        }
        String last = LockApi.onLeader(cluster)
                .httpGet("/kv/" + key)
                .status(200)
                .hint("GET /kv/{key} must answer 200 with the counter.")
                .check()
                .response()
                .body()
                .strip();
        long value = parse(last);
        if (value < ok || value > ok + unknown) {
            throw Failure.of("the counter " + key + " after 4 clients' read-then-swap increments and a leader kill")
                    .expected("a value from " + ok + " (increments answered 200) to " + (ok + unknown)
                            + " (plus those with no answer)")
                    .found(last)
                    .hint(
                            "Increments were lost or applied twice.",
                            "A swap acknowledged by a leader must be committed by a majority before the answer.",
                            "Decide If-Match when applying, so that two swaps on one revision cannot both apply.")
                    .error();
        }
        cluster.assertLinearizable(
                history,
                Models.casRegister(),
                "Some client saw a value or revision no order of the operations explains.",
                "Look in the timeline for the highlighted operations and the leader kill before them.",
                "Give every write a revision from one counter in the replicated state, increased when applied.",
                "Read on the leader only after confirming it still leads (ReadIndex) or through the log.");
    }

    /** One read-then-swap increment of the counter: read it, then swap in value + 1 on its revision. */
    private static void increment(Cluster cluster, CasClient client, int id, String key, java.util.Random random) {
        Node node = ClientLoops.pick(cluster, random);
        Entry<CasInput, CasOutput> read = client.read(id, node, key);
        if (read.completion() != Completion.OK
                || read.output().value() == null
                || read.output().revision() < 0) {
            return;
        }
        long value;
        try {
            value = Long.parseLong(read.output().value().strip());
        } catch (NumberFormatException e) {
            return;
        }
        client.swap(id, node, key, read.output().revision(), Long.toString(value + 1));
    }

    @Test
    @DisplayName("Revisions Keep Increasing After a Full Restart")
    void revisionsKeepIncreasingAfterAFullRestart(Cluster cluster) {
        LockApi api = LockApi.onLeader(cluster);
        String key = Names.of(cluster, "restart");
        long before = 0;
        for (int i = 1; i <= 5; i++) {
            before = api.put(key, "", "before-" + i, "PUT /kv/{key} must answer 200.");
        }
        expectRevision(before, "PUT /kv/" + key, 0);
        cluster.kill(cluster.nodes().toArray(Node[]::new));
        cluster.start(cluster.nodes().toArray(Node[]::new));
        LockApi restarted = LockApi.onLeader(cluster);
        long read = restarted.expectValue(key, "before-5", "Every acknowledged write must survive a full restart.");
        if (read != before) {
            throw Failure.of("GET /kv/" + key + " after a full SIGKILL restart")
                    .expected("Revision: " + before + " (as before the restart)")
                    .found(read < 0 ? "no Revision header" : "Revision: " + read)
                    .hint(
                            "A key's revision is part of its state: it must survive a restart.",
                            "Rebuild revisions by replaying the log, or store them in snapshots.")
                    .error();
        }
        long after = restarted.put(Names.of(cluster, "after"), "", "after", "PUT /kv/{key} must answer 200.");
        if (after <= before) {
            throw Failure.of("a PUT after a full SIGKILL restart, when the last revision before it was " + before)
                    .expected("Revision above " + before)
                    .found(after < 0 ? "no Revision header" : "Revision: " + after)
                    .hint(
                            "Revisions must keep increasing across restarts: clients compare them.",
                            "Keep the revision counter in the replicated state (it is the count of writes applied), "
                                    + "not in a variable that starts at 0.")
                    .error();
        }
    }

    /** A revision {@code found} by {@code what} must be present and above {@code previous}. */
    private static void expectRevision(long found, String what, long previous) {
        if (found <= previous) {
            throw Failure.of(what)
                    .expected("a Revision header with a whole number above " + previous)
                    .found(found < 0 ? "no Revision header" : "Revision: " + found)
                    .hint(
                            "Every write gets a cluster-wide revision, higher than every earlier write's.",
                            "Answer PUT, GET and DELETE with a Revision header.",
                            "Count writes in the state machine: increase the counter when applying each write.")
                    .error();
        }
    }

    private static long parse(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw Failure.of("the counter after the increments")
                    .expected("a whole number")
                    .found(text)
                    .hint("Only the clients' increments wrote this key; its value must be a number.")
                    .error();
        }
    }
}
