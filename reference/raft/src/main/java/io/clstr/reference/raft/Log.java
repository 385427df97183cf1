package io.clstr.reference.raft;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** One-line diagnostics on stdout, which clstr captures into the run's log. */
public final class Log {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private Log() {}

    public static void info(String format, Object... args) {
        String line = LocalTime.now().format(TIME) + " " + String.format(format, args);
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
