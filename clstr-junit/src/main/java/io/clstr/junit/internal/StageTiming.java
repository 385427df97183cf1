package io.clstr.junit.internal;

import io.clstr.junit.internal.config.Settings;
import io.clstr.junit.internal.timing.Ledger;
import io.clstr.junit.internal.timing.Report;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A stage's {@link Ledger} in its class's store: closed last, after the cluster's teardown, it
 * publishes the stage's {@link Report} as a report entry (key {@link Report#ENTRY}) and, with
 * {@code -Dclstr.timing=true} or {@code CLSTR_TIMING=1}, prints its line (with {@code all}, naming every part
 * of the overhead, not only the five largest).
 */
final class StageTiming implements AutoCloseable {
    private final Ledger ledger;
    private final ExtensionContext context;

    StageTiming(Ledger ledger, ExtensionContext context) {
        this.ledger = ledger;
        this.context = context;
    }

    @Override
    public void close() {
        Report report = ledger.close();
        context.publishReportEntry(report.toEntry());
        Optional<String> setting = context.getConfigurationParameter(Settings.TIMING)
                .or(() -> Optional.ofNullable(System.getenv("CLSTR_TIMING")));
        boolean all = setting.filter(v -> v.equalsIgnoreCase("all")).isPresent();
        if (all
                || setting.filter(v -> v.equalsIgnoreCase("true") || v.equals("1"))
                        .isPresent()) {
            System.out.println("timing: " + report.line(all ? Report.EVERY_PART : 5));
        }
    }
}
