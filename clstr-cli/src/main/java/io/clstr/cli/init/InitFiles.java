package io.clstr.cli.init;

import io.clstr.junit.Challenge;
import io.clstr.junit.StageInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a new challenge folder, rendered from the templates in this package's
 * resources: {@code {{name}}} placeholders are replaced by the challenge's and language's values.
 */
public final class InitFiles {

    /** The GitHub Actions workflow that runs {@code clstr test --so-far} on every push. */
    public static final String WORKFLOW = ".github/workflows/clstr.yml";

    private InitFiles() {}

    /** File name → content, in the order they are listed to the learner. */
    public static Map<String, String> render(Challenge challenge, Language language) {
        List<StageInfo> stages = challenge.stages().stream().map(StageInfo::of).toList();
        Map<String, String> values = Map.of(
                "challenge", challenge.key(),
                "name", challenge.name(),
                "summary", challenge.summary(),
                "stage", stages.isEmpty() ? "" : stages.get(0).key(),
                "stages", stageList(stages),
                "language", language.displayName(),
                "build", language.buildExample(),
                "run", language.runExample());
        Map<String, String> files = new LinkedHashMap<>();
        files.put("Dockerfile", fill(template(language.key() + ".Dockerfile"), values));
        files.put("README.md", fill(template("README.md"), values));
        files.put("clstr.yaml", fill(template("clstr.yaml"), values));
        files.put(".gitignore", template("gitignore"));
        files.put(".dockerignore", template("dockerignore"));
        files.put(WORKFLOW, template("github-workflow.yml"));
        return files;
    }

    private static String stageList(List<StageInfo> stages) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < stages.size(); i++) {
            StageInfo st = stages.get(i);
            s.append(i + 1)
                    .append(". `")
                    .append(st.key())
                    .append("`: ")
                    .append(st.title())
                    .append(" (guide: `clstr guide ")
                    .append(st.key())
                    .append("`)\n");
        }
        return s.toString().stripTrailing();
    }

    private static String fill(String template, Map<String, String> values) {
        String s = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            s = s.replace("{{" + e.getKey() + "}}", e.getValue());
        }
        return s;
    }

    private static String template(String name) {
        try (InputStream in = InitFiles.class.getResourceAsStream("templates/" + name)) {
            if (in == null) {
                throw new IllegalStateException("clstr is missing its template " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + name, e);
        }
    }
}
