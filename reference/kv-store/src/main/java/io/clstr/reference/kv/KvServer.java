package io.clstr.reference.kv;

import io.clstr.reference.raft.BugSwitch;
import io.clstr.reference.raft.Config;
import io.clstr.reference.raft.Replica;
import java.io.IOException;

/** One node, assembled: the shared Raft core applying to the key-value map, and the HTTP API. */
final class KvServer implements AutoCloseable {

    private final Replica replica;
    private final HttpApi api;
    private boolean closed;

    private KvServer(Replica replica, HttpApi api) {
        this.replica = replica;
        this.api = api;
    }

    /** Recovers from {@code DATA_DIR}, starts the Raft timers, then starts answering HTTP. */
    static KvServer start(Config config, BugSwitch<Bug> bugs) throws IOException {
        KvStateMachine machine = new KvStateMachine();
        Replica replica = Replica.open(
                config, bugs.raftBug(), machine, bytes -> Command.decode(bytes).describe());
        HttpApi api = new HttpApi(config, bugs, replica, machine);
        KvServer server = new KvServer(replica, api);
        try {
            replica.start();
            api.start();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Graceful stop: no new requests, pending ones fail, the log is synced and marked closed. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        api.stop();
        replica.close();
    }
}
