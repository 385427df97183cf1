package io.clstr.cli.demo;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Node;
import io.clstr.junit.Stage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Demo stage 1: one node says hello. */
@ClstrCluster(nodes = 1)
@Stage(key = "hello", title = "Node Says Hello")
public class HelloStage {

    @Test
    @DisplayName("GET /hello Answers Hello")
    void hello(Node node) {
        DemoCheck.expect(node, "GET", "/hello", null, "hello", "/hello answers with the body hello.");
    }

    @Test
    @DisplayName("GET /hello Answers Hello Again")
    void helloAgain(Node node) {
        DemoCheck.expect(node, "GET", "/hello", null, "hello", "every /hello answers the same.");
    }
}
