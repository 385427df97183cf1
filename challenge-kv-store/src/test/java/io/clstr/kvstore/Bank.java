package io.clstr.kvstore;

import io.clstr.junit.StageInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The bug bank: each bug of the reference ({@code REFERENCE_BUG=<bug>}) with the stage that must
 * catch it and every test of that stage whose property the bug breaks, the one designed to catch
 * it first. A run of the stage with the bug on passes the row when its first failing test is one
 * of those: which of them fails first can depend on timing when the bug breaks several properties
 * (a leader that acknowledges before a majority stores loses writes both when it is cut off and
 * when it crashes). README.md lists the same rows, with why.
 */
final class Bank {

    /**
     * One bug and where it is caught.
     *
     * @param bug   the value of {@code REFERENCE_BUG}
     * @param stage the stage class that catches it
     * @param tests the display names of the stage's tests whose property the bug breaks, the
     *              test designed to catch it first
     */
    record Row(String bug, Class<?> stage, List<String> tests) {

        Row {
            if (tests.isEmpty()) {
                throw new IllegalArgumentException(bug + ": a row names at least one test");
            }
            tests = List.copyOf(tests);
        }

        String stageKey() {
            return StageInfo.of(stage).key();
        }

        /** The test designed to catch the bug. */
        String named() {
            return tests.get(0);
        }

        /** {@code bug → stage → named test; also: other tests}, as README.md's table has it. */
        @Override
        public String toString() {
            return bug + " → " + stageKey() + " → " + testsText();
        }

        String testsText() {
            return tests.size() == 1
                    ? named()
                    : named() + "; also: " + String.join(", ", tests.subList(1, tests.size()));
        }
    }

    /** Every crash-recovery test checks that acknowledged writes survive SIGKILL: a bug that loses them breaks all five. */
    private static final class CrashRecoveryTests {
        static final String FIRST = "Data Survives a Hard Crash";
        static final String[] REST = {
            "All Data Survives Repeated Hard Crashes",
            "Rapid Sequential Writes Survive a Hard Crash",
            "Rapid Concurrent Writes Survive a Hard Crash",
            "CLEAR Survives a Hard Crash"
        };
    }

    private static Row row(String bug, Class<?> stage, String named, String... alsoBreaks) {
        List<String> tests = new ArrayList<>();
        tests.add(named);
        tests.addAll(List.of(alsoBreaks));
        return new Row(bug, stage, tests);
    }

    static final List<Row> ROWS = List.of(
            row("empty-value-accepted", HttpApi.class, "PUT Rejects Empty Keys and Values"),
            row("case-insensitive-keys", HttpApi.class, "GET Rejects Missing and Invalid Keys"),
            row("unsafe-map", HttpApi.class, "Concurrent Writes to Different Keys All Succeed"),
            row("delete-not-persisted", Persistence.class, "Data Survives a Graceful Restart"),
            row("clear-not-persisted", Persistence.class, "CLEAR Survives a Graceful Restart"),
            row("ack-before-sync", CrashRecovery.class, CrashRecoveryTests.FIRST, CrashRecoveryTests.REST),
            row("replay-drops-last-entry", CrashRecovery.class, CrashRecoveryTests.FIRST, CrashRecoveryTests.REST),
            row(
                    "heartbeat-ignored",
                    LeaderElection.class,
                    "Leader Maintains Authority via Heartbeats",
                    "Exactly One Leader Per Term"),
            row("proxy-not-redirect", LeaderElection.class, "Followers Redirect to Leader"),
            row(
                    "never-step-down",
                    LeaderElection.class,
                    "Partition Enforces Quorum",
                    "Slow Leader Steps Down and Cluster Re-elects"),
            row("minority-elects", LeaderElection.class, "Partition Enforces Quorum"),
            row("stale-leader", LeaderElection.class, "Leaderless Nodes Return 503"),
            row(
                    "ignore-leader-commit",
                    LogReplication.class,
                    "Writes Replicate to All Nodes",
                    "Lagging Follower Catches Up"),
            row(
                    "ack-before-commit",
                    LogReplication.class,
                    "Minority Leader Cannot Commit",
                    "Committed Writes Survive Leader Crash",
                    "Cluster Survives a Full Crash",
                    "Linearizable Under Faults"),
            row(
                    "keep-conflicting-entries",
                    LogReplication.class,
                    "Minority Leader Cannot Commit",
                    "Diverged Logs Are Repaired"),
            row("no-prev-log-check", LogReplication.class, "Diverged Logs Are Repaired", "Linearizable Under Faults"));

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
