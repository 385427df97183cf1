package io.clstr.junit;

import io.clstr.junit.internal.log.RunLog;
import io.clstr.junit.internal.runtime.NodeProcess;
import io.clstr.junit.internal.runtime.NodeSpec;
import io.clstr.junit.internal.timing.Ledger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A {@link Node} backed by a runtime's {@link NodeProcess}, logging each lifecycle change. */
final class ClusterNode implements Node {
    private final int number;
    private final NodeSpec spec;
    private final NodeProcess process;
    private final RunLog log;
    private final Duration healthTimeout;
    private final Duration grace;
    private volatile NodeState state = NodeState.NEW;

    ClusterNode(int number, NodeSpec spec, NodeProcess process, RunLog log, Duration healthTimeout, Duration grace) {
        this.number = number;
        this.spec = spec;
        this.process = process;
        this.log = log;
        this.healthTimeout = healthTimeout;
        this.grace = grace;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public int number() {
        return number;
    }

    @Override
    public String addr() {
        return spec.addr();
    }

    @Override
    public URI uri() {
        return process.uri();
    }

    @Override
    public Path dataDir() {
        return spec.dataDir();
    }

    @Override
    public NodeState state() {
        if (state.isLive() && !process.isAlive()) {
            state = NodeState.KILLED;
            log.fault(name(), "DIED");
        }
        return state;
    }

    @Override
    public synchronized void start() {
        if (state().isLive()) {
            throw new IllegalStateException(name() + " is already running");
        }
        log.fault(name(), "START");
        launch();
    }

    /** Launches the process and waits for health; the caller has logged why. */
    private void launch() {
        try (Ledger.Span timed = Ledger.part("node starts")) {
            process.start();
            state = NodeState.RUNNING;
            process.awaitHealthy(healthTimeout);
        }
    }

    @Override
    public synchronized void stop() {
        log.fault(name(), "STOP");
        endWith(Restart.STOP);
    }

    @Override
    public synchronized void kill() {
        log.fault(name(), "KILL");
        endWith(Restart.KILL);
    }

    private void endWith(Restart how) {
        try (Ledger.Span timed = Ledger.part("node stops")) {
            end(how);
        }
    }

    private void end(Restart how) {
        if (how == Restart.STOP) {
            process.stop(grace);
            state = NodeState.STOPPED;
        } else {
            process.kill();
            state = NodeState.KILLED;
        }
    }

    @Override
    public synchronized void restart(Restart how) {
        log.fault(name(), "RESTART: " + how.name());
        endWith(how);
        launch();
    }

    @Override
    public synchronized void pause() {
        requireLive("pause");
        log.fault(name(), "PAUSE");
        try (Ledger.Span timed = Ledger.part("node pauses")) {
            process.pause();
        }
        state = NodeState.PAUSED;
    }

    @Override
    public synchronized void resume() {
        if (state != NodeState.PAUSED) {
            throw new IllegalStateException(name() + " is not paused (it is " + state + ")");
        }
        log.fault(name(), "RESUME");
        try (Ledger.Span timed = Ledger.part("node pauses")) {
            process.resume();
        }
        state = NodeState.RUNNING;
    }

    private void requireLive(String what) {
        if (!state().isLive()) {
            throw new IllegalStateException("cannot " + what + " " + name() + ": it is " + state);
        }
    }

    @Override
    public List<String> logTail(int lines) {
        return process.logTail(lines);
    }

    /** Ends the node's processes at teardown, without logging a test-visible event. */
    void shutdown() {
        if (state != NodeState.NEW) {
            process.killAtTeardown();
        }
        state = NodeState.KILLED;
    }

    @Override
    public String toString() {
        return name() + " (" + addr() + ")";
    }
}
