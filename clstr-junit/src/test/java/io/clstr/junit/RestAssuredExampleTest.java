package io.clstr.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import io.clstr.junit.testnode.TestNodes;
import io.restassured.response.Response;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an author writes when a check falls outside the DSL: {@code cluster.given(node)} hands out a
 * REST Assured request aimed at the node, and AssertJ judges what came back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestAssuredExampleTest {

    @TempDir
    static Path folder;

    private Cluster cluster;
    private Node n1;

    @BeforeAll
    void start() {
        cluster = Cluster.builder(folder)
                .nodes(1)
                .run(TestNodes.command())
                .requestTimeout(Duration.ofSeconds(1))
                .healthTimeout(Duration.ofSeconds(60))
                .start();
        n1 = cluster.node(1);
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    @Test
    void restAssuredAndAssertJOnOneNode() {
        cluster.given(n1).get("/health").then().statusCode(200);

        Response env = cluster.given(n1).get("/env/ADDR");
        assertThat(env.statusCode()).isEqualTo(200);
        assertThat(env.asString()).isEqualTo(n1.addr());

        cluster.given(n1).get("/env/DATA_DIR").then().body(equalTo(n1.dataDir().toString()));
    }

    @Test
    void theStagesRequestTimeoutApplies() {
        n1.pause();
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> cluster.given(n1).get("/health"))
                    .satisfiesAnyOf(e -> assertThat(e).isInstanceOf(SocketTimeoutException.class), e -> assertThat(e)
                            .hasRootCauseInstanceOf(SocketTimeoutException.class));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        } finally {
            n1.resume();
        }
    }
}
