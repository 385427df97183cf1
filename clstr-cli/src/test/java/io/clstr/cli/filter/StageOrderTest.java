package io.clstr.cli.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.clstr.cli.demo.EchoStage;
import io.clstr.cli.demo.HelloStage;
import io.clstr.junit.internal.StageOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class StageOrderTest {

    @Test
    void stageClassesRunInStageOrderAndOtherClassesAfter() {
        TestPlan plan = LauncherFactory.create()
                .discover(LauncherDiscoveryRequestBuilder.request()
                        .selectors(
                                selectClass(NotAStage.class),
                                selectClass(EchoStage.class),
                                selectClass(HelloStage.class))
                        .configurationParameter("junit.jupiter.testclass.order.default", StageOrder.class.getName())
                        .build());

        List<String> order = plan.getRoots().stream()
                .flatMap(root -> plan.getChildren(root).stream())
                .map(c -> ((ClassSource) c.getSource().orElseThrow())
                        .getJavaClass()
                        .getSimpleName())
                .toList();
        assertThat(order).containsExactly("HelloStage", "EchoStage", "NotAStage");
    }
}
