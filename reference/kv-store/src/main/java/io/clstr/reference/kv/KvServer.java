package io.clstr.reference.kv;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One node, assembled: state on disk, the Raft node, and the HTTP API. */
final class KvServer implements AutoCloseable {

    static final String LOG_FILE = "raft-log.wal";
    static final String STATE_FILE = "raft-state.json";

    private final Wal wal;
    private final PeerClient client;
    private final RaftNode node;
    private final HttpApi api;
    private boolean closed;

    private KvServer(Wal wal, PeerClient client, RaftNode node, HttpApi api) {
        this.wal = wal;
        this.client = client;
        this.node = node;
        this.api = api;
    }

    /** Recovers from {@code DATA_DIR}, starts the Raft timers, then starts answering HTTP. */
    static KvServer start(Config config, BugBank bugs) throws IOException {
        Path dataDir = config.dataDir();
        Files.createDirectories(dataDir);
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        RaftState state = RaftState.load(dataDir.resolve(STATE_FILE), json);
        Wal.Recovery recovery = Wal.open(dataDir.resolve(LOG_FILE), bugs);
        Log.info(
                "recovered term %d, vote %s, %d log entries (%s%s)",
                state.currentTerm(),
                state.votedFor(),
                recovery.entries().size(),
                recovery.cleanShutdown() ? "clean shutdown" : "no clean-shutdown marker",
                recovery.discardedBytes() > 0
                        ? ", discarded a torn tail of " + recovery.discardedBytes() + " bytes"
                        : "");
        warmUp(json);
        RaftLog log = new RaftLog(recovery.wal(), recovery.entries());
        KvStateMachine machine = new KvStateMachine();
        PeerClient client = new PeerClient(64);
        RaftNode node = new RaftNode(config, bugs, state, log, machine, client, json);
        HttpApi api = new HttpApi(config, bugs, node, machine, client, json);
        KvServer server = new KvServer(recovery.wal(), client, node, api);
        try {
            node.start();
            api.start();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * Runs the JSON and command codecs once, so the first real RPCs do not pay for class loading
     * and reflection while the cluster is electing its first leader (a slow first answer can make
     * a new leader miss its quorum window).
     */
    private static void warmUp(ObjectMapper json) throws IOException {
        byte[] command = Command.put("warm-up", new byte[] {1}).encode();
        Command.decode(command);
        Rpc.AppendRequest append = new Rpc.AppendRequest(1, "warm-up", 0, 0, List.of(new Rpc.Entry(1, 1, command)), 0);
        json.readValue(json.writeValueAsBytes(append), Rpc.AppendRequest.class)
                .entriesOrEmpty()
                .get(0)
                .toLogEntry();
        json.readValue(json.writeValueAsBytes(new Rpc.AppendResponse(1, true, 0)), Rpc.AppendResponse.class);
        json.readValue(json.writeValueAsBytes(new Rpc.VoteRequest(1, "warm-up", 0, 0)), Rpc.VoteRequest.class);
        json.readValue(json.writeValueAsBytes(new Rpc.VoteResponse(1, true)), Rpc.VoteResponse.class);
        json.writeValueAsBytes(Map.of("warm-up", List.of(1L)));
    }

    /** Graceful stop: no new requests, pending ones fail, the log is synced and marked closed. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        api.stop();
        node.close();
        client.close();
        wal.close();
    }
}
