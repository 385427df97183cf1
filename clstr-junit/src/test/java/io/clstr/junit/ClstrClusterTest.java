package io.clstr.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.platform.commons.support.AnnotationSupport;

class ClstrClusterTest {

    @ClstrCluster
    static class OneInstanceStage {}

    @ClstrCluster
    @TestInstance(TestInstance.Lifecycle.PER_METHOD)
    static class InstancePerTestStage {}

    /** Where JUnit reads a class's lifecycle: the class's own annotation first, then a meta-annotation. */
    private static TestInstance.Lifecycle lifecycle(Class<?> stage) {
        return AnnotationSupport.findAnnotation(stage, TestInstance.class)
                .map(TestInstance::value)
                .orElse(TestInstance.Lifecycle.PER_METHOD);
    }

    @Test
    void aStageClassHasOneInstanceForAllItsTestsUnlessItSaysOtherwise() {
        assertThat(lifecycle(OneInstanceStage.class)).isEqualTo(TestInstance.Lifecycle.PER_CLASS);
        assertThat(lifecycle(InstancePerTestStage.class)).isEqualTo(TestInstance.Lifecycle.PER_METHOD);
    }
}
