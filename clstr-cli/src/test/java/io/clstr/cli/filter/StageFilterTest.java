package io.clstr.cli.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.clstr.cli.demo.EchoStage;
import io.clstr.cli.demo.HelloStage;
import io.clstr.junit.SetupException;
import io.clstr.junit.internal.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The stage filter as {@code mvn test} applies it: registered through ServiceLoader, configured by
 * system properties (Surefire passes {@code -D} options on as system properties).
 */
class StageFilterTest {
    private static final List<String> KEYS = List.of(Settings.DIR, Settings.STAGE, Settings.SO_FAR);

    @TempDir
    Path dir;

    private final Map<String, String> saved = new HashMap<>();

    @BeforeEach
    void save() {
        KEYS.forEach(k -> saved.put(k, System.getProperty(k)));
        System.setProperty(Settings.DIR, dir.toString());
    }

    @AfterEach
    void restore() {
        saved.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    private void yaml(String stage) throws Exception {
        Files.writeString(dir.resolve("clstr.yaml"), "challenge: demo\nstage: " + stage + "\n");
    }

    /** The classes that survive discovery (the launcher prunes classes left without tests). */
    private static List<String> discovered() {
        TestPlan plan = LauncherFactory.create()
                .discover(LauncherDiscoveryRequestBuilder.request()
                        .selectors(
                                selectClass(HelloStage.class),
                                selectClass(EchoStage.class),
                                selectClass(NotAStage.class))
                        .build());
        return plan.getRoots().stream()
                .flatMap(root -> plan.getChildren(root).stream())
                .map(c -> ((ClassSource) c.getSource().orElseThrow())
                        .getJavaClass()
                        .getSimpleName())
                .toList();
    }

    @Test
    void keepsStagesUpToClstrYamlsStage() throws Exception {
        yaml("hello");

        assertThat(discovered()).containsExactlyInAnyOrder("HelloStage", "NotAStage");
    }

    @Test
    void lastStageKeepsEveryStage() throws Exception {
        yaml("echo");

        assertThat(discovered()).containsExactlyInAnyOrder("HelloStage", "EchoStage", "NotAStage");
    }

    @Test
    void stagePropertyOverridesClstrYaml() throws Exception {
        yaml("hello");
        System.setProperty(Settings.STAGE, "echo");

        assertThat(discovered()).containsExactlyInAnyOrder("HelloStage", "EchoStage", "NotAStage");
    }

    @Test
    void soFarFalseKeepsOnlyThatStage() throws Exception {
        yaml("echo");
        System.setProperty(Settings.SO_FAR, "false");

        assertThat(discovered()).containsExactlyInAnyOrder("EchoStage", "NotAStage");
    }

    @Test
    void withoutClstrYamlNothingIsFiltered() {
        assertThat(discovered()).containsExactlyInAnyOrder("HelloStage", "EchoStage", "NotAStage");
    }

    @Test
    void unknownStageFailsDiscoveryNamingTheStages() throws Exception {
        yaml("hello");
        System.setProperty(Settings.STAGE, "nope");

        assertThatThrownBy(StageFilterTest::discovered)
                .isInstanceOf(SetupException.class)
                .hasMessage("unknown stage `nope` of demo: stages are hello, echo");
    }
}
