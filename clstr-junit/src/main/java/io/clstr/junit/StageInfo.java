package io.clstr.junit;

/**
 * A stage class with its {@link Stage} metadata.
 *
 * @param key       the stage key
 * @param title     the stage title
 * @param testClass the stage class
 */
public record StageInfo(String key, String title, Class<?> testClass) {

    /** Reads the {@link Stage} annotation of {@code stageClass}. */
    public static StageInfo of(Class<?> stageClass) {
        Stage s = stageClass.getAnnotation(Stage.class);
        if (s == null) {
            throw new IllegalArgumentException(stageClass.getName() + " is not annotated with @Stage");
        }
        return new StageInfo(s.key(), s.title(), stageClass);
    }
}
