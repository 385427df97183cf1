package io.clstr.junit.internal.timing;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where a stage's time goes: the waits its spec imposes, against the wall time of the whole stage.
 * The points where clstr waits for the server or for time to pass report each wait here
 * ({@link #waiting(Wait)}): an eventually or consistently window, a settle, a node's start until
 * it is healthy, a stop or kill until the node is gone, an HTTP exchange until the node answers, the
 * build. Everything else is the harness's own time (overhead), which named parts of the run
 * ({@link #part(String)}: cluster start, each test, teardown, a history check) break down.
 *
 * <p>Like {@link io.clstr.junit.internal.Progress}, the waiting points report to whatever is open
 * in this JVM, since the polls and sleeps they sit in know nothing of the stage: a wait counts in
 * every ledger open while it lasts, and stages run one at a time. Reporting costs a look at an
 * empty list when no ledger is open.
 */
public final class Ledger {

    /** What a wait was for; when waits overlap, the stretch counts for the kind listed first. */
    public enum Wait {
        /** An eventually, consistently or sample window of a check or a poll. */
        WINDOW("windows"),
        /** A settle after a network fault, or a hold the stage asks for ({@code Cluster.hold}). */
        SETTLE("settles"),
        /** A node's launch (the process or container starting), and its wait until it answers {@code GET /health}. */
        START("starts"),
        /**
         * A stop, kill, pause or resume, from the signal's sending (a line to the signalling shell, or the
         * container engine's call) until the node's processes have done it (the harness's own work around
         * it, such as finding whether the group still lives, is a part: node stops, node pauses).
         */
        STOP("stops"),
        /** An HTTP exchange with a node until its answer (or the error). */
        REQUEST("requests"),
        /** The build command or the image build. */
        BUILD("build");

        private final String label;

        Wait(String label) {
            this.label = label;
        }

        /** The word the report uses: {@code windows}, {@code starts}... */
        public String label() {
            return label;
        }
    }

    /** One wait or part under way; closing it records it. */
    public interface Span extends AutoCloseable {
        @Override
        void close();
    }

    private static final Span NONE = () -> {};
    private static final List<Ledger> OPEN = new CopyOnWriteArrayList<>();
    /** Set on a thread whose work is not a stage's, and so on every thread it starts. */
    private static final InheritableThreadLocal<Boolean> UNRECORDED = new InheritableThreadLocal<>();

    private final String stage;
    private final long start;
    private final Map<Wait, Intervals> waits = new EnumMap<>(Wait.class);
    private final List<Report.Part> parts = new ArrayList<>();
    private Report report;

    private Ledger(String stage, long start) {
        this.stage = stage;
        this.start = start;
        for (Wait w : Wait.values()) {
            waits.put(w, new Intervals());
        }
    }

    /** Starts the ledger of {@code stage}: its wall time runs from now to {@link #close()}. */
    public static Ledger open(String stage) {
        Ledger ledger = new Ledger(Objects.requireNonNull(stage, "stage"), System.nanoTime());
        OPEN.add(ledger);
        return ledger;
    }

    /**
     * From now on, nothing this thread or any thread it starts later does counts in a ledger: for
     * work that runs beside a stage but is not the stage's, such as the JVM's warm-up (whose
     * requests would otherwise count as the stage's waits). A thread started earlier keeps
     * recording, and so does a pool's thread that this one starts, if the pool (as the HTTP clients'
     * is) starts its threads without inheritance and runs each task {@linkplain #asCaller as its
     * submitter}; the JDK's process reaper inherits nothing.
     */
    public static void unrecordedThread() {
        UNRECORDED.set(Boolean.TRUE);
    }

    /**
     * {@code task} as the calling thread would run it: on whatever thread it runs, it records in a
     * ledger if and only if the calling thread does now. For work handed to threads kept from one
     * stage to the next, which inherit nothing from the thread that started them.
     */
    public static Runnable asCaller(Runnable task) {
        Boolean caller = UNRECORDED.get();
        return () -> {
            Boolean own = UNRECORDED.get();
            setUnrecorded(caller);
            try {
                task.run();
            } finally {
                setUnrecorded(own);
            }
        };
    }

    private static void setUnrecorded(Boolean unrecorded) {
        if (unrecorded == null) {
            UNRECORDED.remove();
        } else {
            UNRECORDED.set(unrecorded);
        }
    }

    private static boolean recording() {
        return !OPEN.isEmpty() && UNRECORDED.get() == null;
    }

    /** Marks a wait of {@code kind} from now until the span is closed. */
    public static Span waiting(Wait kind) {
        if (!recording()) {
            return NONE;
        }
        long from = System.nanoTime();
        return () -> waited(kind, from, System.nanoTime());
    }

    /** Records a wait of {@code kind} that lasted from {@code from} to {@code to} ({@link System#nanoTime()}). */
    public static void waited(Wait kind, long from, long to) {
        if (!recording()) {
            return;
        }
        for (Ledger ledger : OPEN) {
            ledger.waits.get(kind).add(from, to);
        }
    }

    /**
     * Marks a named part of the run from now until the span is closed: the harness's own time
     * within it (what no wait covers) is reported under its name, or under the name of a part
     * started later within it.
     */
    public static Span part(String name) {
        if (!recording()) {
            return NONE;
        }
        long from = System.nanoTime();
        return () -> {
            long to = System.nanoTime();
            for (Ledger ledger : OPEN) {
                ledger.addPart(new Report.Part(name, from, to));
            }
        };
    }

    private synchronized void addPart(Report.Part part) {
        parts.add(part);
    }

    /** Ends the wall time and stops recording; the report of where the time went. Idempotent. */
    public synchronized Report close() {
        if (report == null) {
            long end = System.nanoTime();
            OPEN.remove(this);
            Map<Wait, long[]> unions = new EnumMap<>(Wait.class);
            waits.forEach((kind, intervals) -> unions.put(kind, intervals.union()));
            report = Report.of(stage, start, end, unions, List.copyOf(parts));
        }
        return report;
    }
}
