package io.clstr.junit.internal;

import io.clstr.junit.Challenge;
import io.clstr.junit.SetupException;
import io.clstr.junit.Stage;
import io.clstr.junit.internal.config.ClstrYaml;
import io.clstr.junit.internal.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

/**
 * Keeps the stages a learner has reached when stage classes run under {@code mvn test}: the
 * stages of clstr.yaml's challenge up to its {@code stage} (every earlier stage too, like
 * {@code clstr test --so-far}). Registered through {@code ServiceLoader}, so every launcher with
 * clstr-junit on its class path applies it; the CLI switches it off and selects stages itself.
 *
 * <p>Read as system properties (Surefire passes {@code -D} options on): {@value Settings#DIR}
 * (the challenge folder, default: the working directory), {@value Settings#STAGE} (default:
 * clstr.yaml's stage) and {@value Settings#SO_FAR} ({@code false}: only that stage). Without a
 * clstr.yaml nothing is filtered; test classes that are not stages are never touched. A bad
 * clstr.yaml or an unknown challenge or stage fails discovery with a {@link SetupException}.
 */
public final class StageFilter implements PostDiscoveryFilter {
    private Selection selection;

    @Override
    public FilterResult apply(TestDescriptor descriptor) {
        Optional<Class<?>> stage = stageClass(descriptor);
        if (stage.isEmpty()) {
            return FilterResult.included("not a stage class");
        }
        return selection().decide(stage.get());
    }

    private synchronized Selection selection() {
        if (selection == null) {
            selection = Selection.read();
        }
        return selection;
    }

    /** The {@link Stage} class {@code descriptor} belongs to: its own class or its nearest enclosing one. */
    private static Optional<Class<?>> stageClass(TestDescriptor descriptor) {
        for (TestDescriptor d = descriptor; d != null; d = d.getParent().orElse(null)) {
            Class<?> type = javaClass(d.getSource().orElse(null));
            if (type != null && type.isAnnotationPresent(Stage.class)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    private static Class<?> javaClass(TestSource source) {
        if (source instanceof ClassSource cs) {
            return cs.getJavaClass();
        }
        if (source instanceof MethodSource ms) {
            return ms.getJavaClass();
        }
        return null;
    }

    /** Which stages run: all (no clstr.yaml), or a challenge's stages up to a target stage. */
    private record Selection(Challenge challenge, List<String> stageClasses, int target, boolean soFar) {

        static Selection read() {
            Path folder = Settings.folder();
            if (!Files.isRegularFile(folder.resolve(ClstrYaml.FILE))) {
                return new Selection(null, List.of(), -1, true);
            }
            ClstrYaml yaml = ClstrYaml.read(folder);
            Challenge challenge = Challenge.find(yaml.challenge())
                    .orElseThrow(() -> new SetupException(ClstrYaml.FILE + " names challenge `" + yaml.challenge()
                            + "`, which is not on the test class path:" + " add its module (such as io.clstr:challenge-"
                            + yaml.challenge() + ") to the pom"));
            if (!challenge.available()) {
                throw challenge.notAvailable();
            }
            String stage = System.getProperty(Settings.STAGE, yaml.stage());
            List<String> keys = challenge.stageKeys();
            int target = keys.indexOf(stage);
            if (target < 0) {
                throw new SetupException("unknown stage `" + stage + "` of " + challenge.key() + ": stages are "
                        + String.join(", ", keys));
            }
            boolean soFar = !"false"
                    .equalsIgnoreCase(
                            System.getProperty(Settings.SO_FAR, "true").trim());
            List<String> classes =
                    challenge.stages().stream().map(Class::getName).toList();
            return new Selection(challenge, classes, target, soFar);
        }

        FilterResult decide(Class<?> stageClass) {
            if (challenge == null) {
                return FilterResult.included("no " + ClstrYaml.FILE + ": every stage runs");
            }
            int index = stageClasses.indexOf(stageClass.getName());
            String target = challenge.stageKeys().get(this.target);
            if (index < 0) {
                return FilterResult.excluded(stageClass.getName() + " is not a stage of " + challenge.key()
                        + ", the challenge in " + ClstrYaml.FILE);
            }
            String key = challenge.stageKeys().get(index);
            if (index > this.target) {
                return FilterResult.excluded(
                        "stage " + key + " comes after " + target + "; run it with -D" + Settings.STAGE + "=" + key);
            }
            if (index < this.target && !soFar) {
                return FilterResult.excluded("-D" + Settings.SO_FAR + "=false runs only " + target);
            }
            return FilterResult.included("stage " + key + " is reached");
        }
    }
}
