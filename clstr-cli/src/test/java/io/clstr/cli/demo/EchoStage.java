package io.clstr.cli.demo;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Node;
import io.clstr.junit.Stage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Demo stage 2: one node echoes what it is sent. */
@ClstrCluster(nodes = 1)
@Stage(key = "echo", title = "Node Echoes Requests")
public class EchoStage {

    @Test
    @DisplayName("POST /echo Returns The Body")
    void echo(Node node) {
        DemoCheck.expect(node, "POST", "/echo", "ping", "ping", "/echo answers with the request body, unchanged.");
    }

    @Test
    @DisplayName("POST /echo Keeps UTF-8")
    void echoUtf8(Node node) {
        DemoCheck.expect(node, "POST", "/echo", "grüße ✓", "grüße ✓", "read and write bodies as UTF-8.");
    }

    @Test
    @DisplayName("GET /hello Still Answers")
    void helloStill(Node node) {
        DemoCheck.expect(node, "GET", "/hello", null, "hello", "earlier stages keep working.");
    }
}
