package io.clstr.kvstore;

import static io.clstr.junit.check.Select.node;
import static io.clstr.junit.check.Select.nodes;
import static org.hamcrest.Matchers.nullValue;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.check.CheckResult;
import io.clstr.junit.check.HttpCheck;
import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.check.Selector;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The membership API of stages 7 and 8, as checks: {@code POST /cluster/join} (to the newcomer,
 * {@code {"leader": ADDR}}), {@code POST /cluster/leave} (to the member leaving), {@code POST
 * /cluster/config} (to the leader, {@code {"members": [ADDR...]}}), and what {@code GET
 * /cluster/info} says of the configuration: {@code members} (sorted ADDRs of the voting members, the
 * node itself included; empty on a node that is none), {@code learners} and {@code joint}.
 *
 * <p>A change can take several seconds (a newcomer catches up, then one or two entries commit), so
 * its requests have a timeout of their own, {@link #CHANGE_TIMEOUT}, instead of the stage's 1 s.
 */
final class Membership {

    /** How long a join, leave or configuration change may take to answer. */
    static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(10);

    static final String JOIN = "/cluster/join";
    static final String LEAVE = "/cluster/leave";
    static final String CONFIG = "/cluster/config";
    static final String INFO = "/cluster/info";

    private final Cluster cluster;

    Membership(Cluster cluster) {
        this.cluster = cluster;
    }

    /** The nodes' ADDRs, sorted, as {@code members} lists them. */
    static List<String> addrs(Collection<? extends Node> nodes) {
        return nodes.stream().map(Node::addr).sorted().toList();
    }

    /** {@code {"members": [ADDR...]}} for these nodes. */
    static String configBody(Collection<? extends Node> members) {
        return addrs(members).stream()
                .map(a -> "\"" + a + "\"")
                .collect(Collectors.joining(", ", "{\"members\": [", "]}"));
    }

    /** {@code POST /cluster/join} on {@code newcomer}, naming {@code contact} as the member to ask. */
    HttpCheck join(Node newcomer, Node contact) {
        return change(node(newcomer), JOIN, "{\"leader\": \"" + contact.addr() + "\"}");
    }

    /** {@code POST /cluster/leave} on {@code member}. */
    HttpCheck leave(Node member) {
        return change(node(member), LEAVE, "{}");
    }

    /** {@code POST /cluster/config} on {@code to}, moving to {@code members}. */
    HttpCheck config(Node to, Collection<? extends Node> members) {
        return change(node(to), CONFIG, configBody(members));
    }

    private HttpCheck change(Selector selector, String path, String body) {
        return cluster.post(selector, path, body)
                .withHeader("Content-Type", "application/json")
                .timeout(CHANGE_TIMEOUT);
    }

    /**
     * Runs {@code check} on a thread of its own (a change the test watches while it is in
     * progress); {@link Pending#await()} gives its result or rethrows its failure.
     */
    static Pending<CheckResult> inBackground(HttpCheck check) {
        return Pending.start(check::check);
    }

    /**
     * Sends {@code POST /cluster/config} to {@code to} on a thread of its own and judges nothing:
     * for a change whose leader the test kills, or cuts off, while it is in progress.
     */
    Pending<Response> configInBackground(Node to, Collection<? extends Node> members) {
        Request request = Request.post(CONFIG, configBody(members))
                .withHeader("Content-Type", "application/json")
                .withTimeout(CHANGE_TIMEOUT);
        return Pending.start(() -> cluster.send(to, request));
    }

    /** A request running in the background. */
    record Pending<T>(CompletableFuture<T> result) {

        static <T> Pending<T> start(Supplier<T> work) {
            CompletableFuture<T> result = new CompletableFuture<>();
            Thread thread = new Thread(
                    () -> {
                        try {
                            result.complete(work.get());
                        } catch (RuntimeException | Error e) { // a check's failure, rethrown by await()
                            result.completeExceptionally(e);
                        }
                    },
                    "kv-store-membership-change");
            thread.setDaemon(true);
            thread.start();
            return new Pending<>(result);
        }

        /** Waits for the request (at most its timeout) and returns its result, or throws its failure. */
        T await() {
            try {
                return result.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while a membership change was in progress", e);
            } catch (ExecutionException | CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    /**
     * Every node of {@code asked} reports, within {@code within}, the voting members
     * {@code members} (sorted ADDRs) and no joint configuration.
     */
    void expectMembers(
            Collection<? extends Node> asked,
            Collection<? extends Node> members,
            Duration within,
            String diagnosis,
            String... causes) {
        cluster.get(nodes(asked.toArray(Node[]::new)), INFO)
                .status(200)
                .json("members", addrs(members))
                .json("joint", nullValue())
                .eventually(within)
                .hint(diagnosis, causes)
                .check();
    }

    /**
     * {@code removed} reports, within {@code within}, that it is no member: {@code members} empty
     * and, when {@code idle}, role follower and no leader.
     */
    void expectRemoved(Node removed, boolean idle, Duration within, String... hint) {
        HttpCheck check = cluster.get(node(removed), INFO).status(200).json("members", List.of());
        if (idle) {
            check = check.json("role", "follower").json("leader", nullValue());
        }
        check.eventually(within)
                .hint(hint[0], Arrays.copyOfRange(hint, 1, hint.length))
                .check();
    }

    /** The hint of a removed node's report: what it must say, then {@code more} causes. */
    static String[] removedHint(Node removed, String... more) {
        String[] lines = {
            removed.name() + " is no longer a member: its GET /cluster/info must show \"members\": [] (and, once "
                    + "it has stepped down, role \"follower\" and leader null).",
            "A node learns that it was removed from the configuration entry without it: the leader keeps sending to "
                    + "a departing member until it holds that entry.",
            "From then on it is no voter: it does not campaign, and it answers /kv with 503."
        };
        String[] all = Arrays.copyOf(lines, lines.length + more.length);
        System.arraycopy(more, 0, all, lines.length, more.length);
        return all;
    }
}
