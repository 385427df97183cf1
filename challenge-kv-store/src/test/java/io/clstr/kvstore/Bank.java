package io.clstr.kvstore;

import io.clstr.junit.StageInfo;
import java.util.List;

/**
 * The bug bank: each bug of the reference ({@code REFERENCE_BUG=<bug>}) with the stage that must
 * catch it and the test of that stage that fails first. README.md lists the same rows, with why.
 */
final class Bank {

    /**
     * One bug and where it is caught.
     *
     * @param bug   the value of {@code REFERENCE_BUG}
     * @param stage the stage class that catches it
     * @param test  the display name of the stage's first failing test
     */
    record Row(String bug, Class<?> stage, String test) {

        String stageKey() {
            return StageInfo.of(stage).key();
        }

        @Override
        public String toString() {
            return bug + " → " + stageKey() + " → " + test;
        }
    }

    static final List<Row> ROWS = List.of(
            new Row("empty-value-accepted", HttpApi.class, "PUT Rejects Empty Keys and Values"),
            new Row("case-insensitive-keys", HttpApi.class, "GET Rejects Missing and Invalid Keys"),
            new Row("unsafe-map", HttpApi.class, "Concurrent Writes to Different Keys All Succeed"),
            new Row("delete-not-persisted", Persistence.class, "Data Survives a Graceful Restart"),
            new Row("clear-not-persisted", Persistence.class, "CLEAR Survives a Graceful Restart"),
            new Row("ack-before-sync", CrashRecovery.class, "Data Survives a Hard Crash"),
            new Row("replay-drops-last-entry", CrashRecovery.class, "Data Survives a Hard Crash"),
            new Row("heartbeat-ignored", LeaderElection.class, "Leader Maintains Authority via Heartbeats"),
            new Row("proxy-not-redirect", LeaderElection.class, "Followers Redirect to Leader"),
            new Row("never-step-down", LeaderElection.class, "Partition Enforces Quorum"),
            new Row("minority-elects", LeaderElection.class, "Partition Enforces Quorum"),
            new Row("stale-leader", LeaderElection.class, "Leaderless Nodes Return 503"),
            new Row("ignore-leader-commit", LogReplication.class, "Writes Replicate to All Nodes"),
            new Row("ack-before-commit", LogReplication.class, "Minority Leader Cannot Commit"),
            new Row("keep-conflicting-entries", LogReplication.class, "Minority Leader Cannot Commit"),
            new Row("no-prev-log-check", LogReplication.class, "Diverged Logs Are Repaired"));

    private Bank() {}

    /** The rows to run: all, or those whose bug {@code -Dclstr.bugs=<bug>[,<bug>]} names. */
    static List<Row> selected() {
        String wanted = System.getProperty("clstr.bugs", "").trim();
        if (wanted.isEmpty()) {
            return ROWS;
        }
        List<String> bugs = List.of(wanted.split("\\s*,\\s*"));
        List<Row> rows = ROWS.stream().filter(r -> bugs.contains(r.bug())).toList();
        if (rows.size() != bugs.size()) {
            throw new IllegalArgumentException("-Dclstr.bugs=" + wanted + " names a bug that is not in the bank: "
                    + ROWS.stream().map(Row::bug).toList());
        }
        return rows;
    }
}
