package io.clstr.kvstore;

import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Node.Restart;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The five durability scenarios that {@link Persistence} runs with graceful restarts (SIGTERM)
 * and {@link CrashRecovery} with crashes (SIGKILL). Every scenario writes through the HTTP API,
 * restarts the node the stage's way, and reads everything back, one read at a time (a node
 * that has just started is not also asked to serve 50 reads at once; the spec asks for
 * concurrency on writes). Hints name the restart kind.
 */
final class Durability {

    private final Cluster cluster;
    private final Node node;
    private final Restart how;
    private final Kv kv;
    private final Values values;

    Durability(Cluster cluster, Node node, Restart how) {
        this.cluster = cluster;
        this.node = node;
        this.how = how;
        this.kv = new Kv(cluster, node);
        this.values = new Values(cluster.random());
    }

    /** Puts, overwrites and deletes, one restart, then every key as it was. */
    void putsOverwritesAndDeletesSurvive() {
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 1; i <= 6; i++) {
            String key = "survivor:" + i;
            String value = values.tagged("original-" + i);
            kv.put(key, value, "PUT /kv/{key} must store the body and answer 200.");
            expected.put(key, value);
        }
        for (int i : new int[] {2, 4}) {
            String key = "survivor:" + i;
            String value = values.tagged("overwritten-" + i);
            kv.put(key, value, "PUT to an existing key must replace its value and answer 200.");
            expected.put(key, value);
        }
        for (int i : new int[] {3, 5}) {
            String key = "survivor:" + i;
            kv.delete(key, "DELETE /kv/{key} must remove the key and answer 200.");
            expected.put(key, null);
        }
        restart();
        expectAll(
                expected,
                "Every change acknowledged before the " + restartName() + " must be there after it: the last PUT "
                        + "of each key, and no trace of deleted keys.",
                persistHint(),
                "Record DELETEs too, or deleted keys come back.");
    }

    /** Several rounds of writes, each followed by a restart; after each, everything written so far. */
    void repeatedRestartsKeepEverything() {
        Map<String, String> expected = new LinkedHashMap<>();
        for (int round = 1; round <= 3; round++) {
            for (int i = 1; i <= 5; i++) {
                String key = "round-" + round + ":" + i;
                String value = values.tagged("round-" + round);
                kv.put(key, value, "PUT /kv/{key} must store the body and answer 200.");
                expected.put(key, value);
            }
            String carried = "carried";
            String value = values.tagged("carried-" + round);
            kv.put(carried, value, "PUT to an existing key must replace its value and answer 200.");
            expected.put(carried, value);
            restart();
            expectAll(
                    expected,
                    "After " + restartName() + " number " + round + ", the keys of every earlier round must still "
                            + "be there, not only the latest.",
                    "If data survives one restart but not two, the node probably truncates (or overwrites) its data "
                            + "file when it starts: open it in append mode, or rewrite it whole from the state loaded.",
                    persistHint());
        }
    }

    /** {@code count} sequential writes of {@code size} characters, a restart, then all of them. */
    void sequentialWritesSurvive(int count, int size) {
        List<String> written = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String value = values.text(size);
            kv.put(
                    "sequential:" + i,
                    value,
                    "Each of " + count + " sequential PUTs of " + size
                            + " bytes must answer 200 within " + timeoutText() + "; writing one record must not take "
                            + "longer than that (do not rewrite the whole store on every PUT).");
            written.add(value);
        }
        restart();
        for (int i = 0; i < count; i++) {
            kv.expect(
                    "sequential:" + i,
                    written.get(i),
                    "All " + count + " acknowledged writes must survive the " + restartName()
                            + ", up to the very last one.",
                    persistHint());
        }
    }

    /** {@code count} writes of {@code size} characters with 50 in flight, a restart, then all of them. */
    void concurrentWritesSurvive(int count, int size) {
        List<String> written = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            written.add(values.text(size));
        }
        cluster.concurrently(
                count,
                i -> kv.put(
                        "concurrent:" + i,
                        written.get(i),
                        "Each of " + count + " concurrent PUTs (50 in flight) must answer 200 within " + timeoutText()
                                + ".",
                        "If your server syncs the disk once per write, let one thread write every pending record and "
                                + "sync once for all of them (group commit)."));
        restart();
        for (int i = 0; i < count; i++) {
            kv.expect(
                    "concurrent:" + i,
                    written.get(i),
                    "All " + count + " concurrently acknowledged writes must survive the " + restartName() + ".",
                    "Records appended by concurrent requests must not interleave or overwrite each other in your "
                            + "file: serialise the appends (one lock, or one writer thread).",
                    persistHint());
        }
    }

    /** Writes, a clear, one write after it, a restart: the clear holds and the later write is kept. */
    void clearSurvives() {
        List<String> cleared = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            String key = "doomed:" + i;
            kv.put(key, values.tagged("doomed-" + i), "PUT /kv/{key} must store the body and answer 200.");
            cleared.add(key);
        }
        kv.clear("DELETE /clear must remove every key and answer 200.");
        String after = values.tagged("after-clear");
        kv.put("after-clear", after, "PUT after DELETE /clear must answer 200.");
        restart();
        for (String key : cleared) {
            kv.expectMissing(
                    key,
                    "A clear acknowledged before the " + restartName() + " must still hold after it: keys removed "
                            + "by DELETE /clear must not come back.",
                    "Record the clear in your log (or empty your data files) before answering 200, and replay it in "
                            + "order.",
                    persistHint());
        }
        kv.expect(
                "after-clear",
                after,
                "A key written after DELETE /clear must survive the " + restartName() + ".",
                "Replay the log in the order the changes were made, so the clear only removes what came before it.");
    }

    private void restart() {
        node.restart(how);
    }

    private void expectAll(Map<String, String> expected, String... hint) {
        expected.forEach((key, value) -> {
            if (value == null) {
                kv.expectMissing(key, hint);
            } else {
                kv.expect(key, value, hint);
            }
        });
    }

    private String restartName() {
        return how == Restart.STOP ? "graceful restart (SIGTERM)" : "crash (SIGKILL)";
    }

    private String timeoutText() {
        return "the 1 s request timeout";
    }

    private String persistHint() {
        return how == Restart.STOP
                ? "Keep your data in files under DATA_DIR, written at each change or at the latest when SIGTERM "
                        + "arrives (within 5 s), and load them before /health answers 200."
                : "SIGKILL lets nothing be saved: append each change to a log under DATA_DIR, fsync it before "
                        + "answering 200, and replay it before /health answers 200.";
    }
}
