package io.clstr.reference.raft;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Raft's persistent {@code currentTerm} and {@code votedFor}, in one small JSON file replaced
 * atomically (temp file, fsync, rename, directory fsync) before the node answers a vote or acts on
 * a new term.
 */
final class RaftState {

    private record Stored(
            @JsonProperty("current-term") long currentTerm,
            @JsonProperty("voted-for") String votedFor) {}

    private final Path file;
    private final ObjectMapper json;
    private long currentTerm;
    private String votedFor;

    private RaftState(Path file, ObjectMapper json, long currentTerm, String votedFor) {
        this.file = file;
        this.json = json;
        this.currentTerm = currentTerm;
        this.votedFor = votedFor;
    }

    static RaftState load(Path file, ObjectMapper json) throws IOException {
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".tmp"));
        if (!Files.exists(file)) {
            return new RaftState(file, json, 0, null);
        }
        Stored stored = json.readValue(Files.readAllBytes(file), Stored.class);
        return new RaftState(file, json, stored.currentTerm(), stored.votedFor());
    }

    long currentTerm() {
        return currentTerm;
    }

    String votedFor() {
        return votedFor;
    }

    /** Durably records a new term and vote; the in-memory values change only once it is on disk. */
    void save(long term, String vote) throws IOException {
        if (term == currentTerm && Objects.equals(vote, votedFor)) {
            return;
        }
        Fsync.replaceAtomically(file, json.writeValueAsBytes(new Stored(term, vote)));
        currentTerm = term;
        votedFor = vote;
    }
}
