package io.clstr.reference.raft;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The HTTP paths every Raft node serves besides its own API: the RPCs between peers
 * ({@code POST /raft/request-vote}, {@code /raft/pre-vote}, {@code /raft/append-entries},
 * {@code /raft/install-snapshot}) and the observers' {@code GET /cluster/info}, {@code GET /log}
 * (the entries held, after the snapshot) and {@code GET /log/snapshot}.
 */
public final class RaftEndpoints {

    private static final Set<String> OBSERVERS = Set.of("/cluster/info", "/log", "/log/snapshot");

    private final RaftNode node;
    private final ObjectMapper json;
    private final Function<byte[], String> describe;
    private final MembershipEndpoints membership;

    RaftEndpoints(RaftNode node, PeerClient client, ObjectMapper json, Function<byte[], String> describe) {
        this.node = node;
        this.json = json;
        this.describe = describe;
        this.membership = new MembershipEndpoints(node, client, json);
    }

    /** Whether {@code path} is one of these endpoints. */
    public static boolean serves(String path) {
        return OBSERVERS.contains(path) || path.startsWith("/raft/") || MembershipEndpoints.serves(path);
    }

    /**
     * Answers a request for one of these paths. The answers to an AppendEntries and an
     * InstallSnapshot wait for the disk and are sent on {@code executor}, never on the WAL's or the
     * snapshot store's writer thread.
     *
     * @throws IOException if the body is not the RPC's JSON (the caller answers 400)
     */
    public void handle(HttpExchange exchange, String method, String path, byte[] body, Executor executor)
            throws IOException {
        if (MembershipEndpoints.serves(path)) {
            membership.handle(exchange, method, path, body);
            return;
        }
        if (!method.equals(OBSERVERS.contains(path) ? "GET" : "POST")) {
            HttpReplies.send(exchange, 405, HttpReplies.TEXT, "method not allowed");
            return;
        }
        switch (path) {
            case "/cluster/info" -> reply(exchange, clusterInfo());
            case "/log" -> reply(exchange, logView());
            case "/log/snapshot" -> reply(exchange, snapshotView());
            case Rpc.REQUEST_VOTE -> reply(exchange, node.onRequestVote(json.readValue(body, Rpc.VoteRequest.class)));
            case Rpc.PRE_VOTE -> reply(exchange, node.onPreVote(json.readValue(body, Rpc.VoteRequest.class)));
            case Rpc.APPEND_ENTRIES ->
                replyWhenDone(
                        exchange,
                        "append",
                        node.onAppendEntries(json.readValue(body, Rpc.AppendRequest.class)),
                        executor);
            case Rpc.INSTALL_SNAPSHOT ->
                replyWhenDone(
                        exchange,
                        "install-snapshot",
                        node.onInstallSnapshot(json.readValue(body, Rpc.InstallSnapshotRequest.class)),
                        executor);
            default -> HttpReplies.send(exchange, 404, HttpReplies.TEXT, "not found");
        }
    }

    private void replyWhenDone(HttpExchange exchange, String rpc, CompletableFuture<?> answer, Executor executor) {
        answer.whenCompleteAsync(
                (result, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause()
                                : error;
                        HttpReplies.send(exchange, 500, HttpReplies.TEXT, rpc + " failed: " + cause.getMessage());
                    } else {
                        reply(exchange, result);
                    }
                },
                executor);
    }

    private Map<String, Object> snapshotView() {
        RaftNode.SnapshotView view = node.snapshotView();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("last-included-index", view.lastIncludedIndex());
        out.put("last-included-term", view.lastIncludedTerm());
        return out;
    }

    private Map<String, Object> clusterInfo() {
        RaftNode.ClusterInfo info = node.clusterInfo();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", info.id());
        out.put("role", info.role().wireName());
        out.put("term", info.term());
        out.put("leader", info.leader());
        out.put("peers", info.peers());
        out.put("members", info.members());
        out.put("learners", info.learners());
        if (info.joint() != null) {
            out.put(
                    "joint",
                    Map.of("old", info.joint().voters(), "new", info.joint().next()));
        }
        return out;
    }

    private Map<String, Object> logView() {
        RaftNode.LogView view = node.logView();
        List<Map<String, Object>> entries = new ArrayList<>(view.entries().size());
        for (LogEntry entry : view.entries()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("index", entry.index());
            item.put("term", entry.term());
            item.put("command", describe(entry));
            entries.add(item);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("entries", entries);
        out.put("commit-index", view.commitIndex());
        out.put("last-applied", view.lastApplied());
        return out;
    }

    private String describe(LogEntry entry) {
        if (entry.isNoop()) {
            return "NOOP";
        }
        if (Configuration.isEntry(entry.command())) {
            return Configuration.decode(entry.command()).toString();
        }
        return describe.apply(entry.command());
    }

    private void reply(HttpExchange exchange, Object answer) {
        try {
            HttpReplies.send(exchange, 200, HttpReplies.JSON, json.writeValueAsBytes(answer));
        } catch (IOException e) {
            HttpReplies.send(exchange, 500, HttpReplies.TEXT, "cannot encode the answer: " + e.getMessage());
        }
    }
}
