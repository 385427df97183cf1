package io.clstr.cli.init;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** A language {@code clstr init} has a starting point for: its Dockerfile and process-runtime commands. */
public enum Language {
    GO("go", "Go", "go build -o server .", "./server"),
    PYTHON("python", "Python", "pip install -r requirements.txt", "python3 server.py"),
    RUST("rust", "Rust", "cargo build --release", "./target/release/server"),
    JAVA("java", "Java", "javac -d out $(find src -name '*.java')", "java -cp out Server"),
    NODE("node", "Node.js", "npm install", "node server.js");

    private final String key;
    private final String displayName;
    private final String buildExample;
    private final String runExample;

    Language(String key, String displayName, String buildExample, String runExample) {
        this.key = key;
        this.displayName = displayName;
        this.buildExample = buildExample;
        this.runExample = runExample;
    }

    /** What learners type: {@code go}, {@code python}… */
    public String key() {
        return key;
    }

    public String displayName() {
        return displayName;
    }

    /** An example {@code build:} command for the process runtime. */
    public String buildExample() {
        return buildExample;
    }

    /** An example {@code run:} command for the process runtime. */
    public String runExample() {
        return runExample;
    }

    /** The language with this key. */
    public static Optional<Language> find(String key) {
        return Arrays.stream(values()).filter(l -> l.key.equals(key)).findFirst();
    }

    /** Every key, as {@code go, python, rust, java, node}. */
    public static String keys() {
        return Arrays.stream(values()).map(Language::key).collect(Collectors.joining(", "));
    }
}
