package io.clstr.junit.check;

import static io.clstr.junit.check.FakeServer.json;
import static io.clstr.junit.check.FakeServer.reply;
import static io.clstr.junit.check.Select.all;
import static io.clstr.junit.check.Select.allExcept;
import static io.clstr.junit.check.Select.atLeastOne;
import static io.clstr.junit.check.Select.exactlyOne;
import static io.clstr.junit.check.Select.node;
import static io.clstr.junit.check.Select.nodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clstr.junit.NodeState;
import io.clstr.junit.internal.check.HttpChecks;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class SelectorsTest {

    private final FakeCluster cluster = new FakeCluster(3);
    private final HttpChecks checks = cluster.checks();
    private final FakeNode n1 = cluster.node(1);
    private final FakeNode n2 = cluster.node(2);
    private final FakeNode n3 = cluster.node(3);

    @AfterEach
    void close() {
        cluster.close();
    }

    private void roles(String r1, String r2, String r3) {
        cluster.server(1).answer(json("{\"role\":\"" + r1 + "\"}"));
        cluster.server(2).answer(json("{\"role\":\"" + r2 + "\"}"));
        cluster.server(3).answer(json("{\"role\":\"" + r3 + "\"}"));
    }

    @Test
    void nodeSendsOnlyToThatNode() {
        checks.get(node(n2), "/kv/a").status(200).check();
        assertThat(cluster.server(1).received()).isEmpty();
        assertThat(cluster.server(2).received()).extracting(Object::toString).containsExactly("GET /kv/a");
        assertThat(cluster.server(3).received()).isEmpty();
    }

    @Test
    void nodeIsRequestedWhateverItsState() {
        n2.state(NodeState.STOPPED);
        checks.get(node(n2), "/kv/a").status(200).check();
        assertThat(cluster.server(2).received()).hasSize(1);
    }

    @Test
    void nodesMustEachMeet() {
        cluster.server(1).answer(reply(200, "1"));
        cluster.server(2).answer(reply(200, "2"));
        cluster.server(3).answer(reply(200, "1"));
        checks.get(nodes(n1, n3), "/kv/a").body("1").check();
        assertThatThrownBy(() -> checks.get(nodes(n1, n2), "/kv/a")
                        .status(200)
                        .body("1")
                        .hint("Replicate.")
                        .check())
                .isInstanceOf(AssertionFailedError.class)
                .hasMessage("""
                        GET /kv/a on n1, n2 → expected status 200 and body "1" from each node, but 1 of 2 did not (n2)
                          n1 (%s): 200 "1" — ok
                          n2 (%s): 200 "2" — failed: body
                        Hint: Replicate.""", n1.uri(), n2.uri());
    }

    @Test
    void allMeansEveryLiveNodePausedIncluded() {
        n2.state(NodeState.KILLED);
        n3.state(NodeState.PAUSED);
        CheckResult result = checks.get(all(), "/kv/a").status(200).check();
        assertThat(result.responses()).extracting(r -> r.node().name()).containsExactly("n1", "n3");
        assertThat(cluster.server(2).received()).isEmpty();
    }

    @Test
    void allWithNoLiveNodeFails() {
        n1.state(NodeState.KILLED);
        n2.state(NodeState.STOPPED);
        n3.state(NodeState.NEW);
        assertThatThrownBy(() -> checks.get(all(), "/kv/a").status(200).check())
                .hasMessage("GET /kv/a on every live node → expected status 200, but no node is live");
        assertThatThrownBy(() -> checks.get(allExcept(n1), "/kv/a").status(200).check())
                .hasMessage("GET /kv/a on every live node except n1 → expected status 200, but no node is live");
        assertThatThrownBy(() -> checks.get(atLeastOne(), "/kv/a").status(200).check())
                .hasMessage(
                        "GET /kv/a on the live nodes → expected at least one node with status 200, but no node is live");
    }

    @Test
    void allExceptSkipsThoseNodes() {
        cluster.server(1).answer(reply(200, "leader"));
        cluster.server(2).answer(reply(307, "").header("Location", "http://" + n1.addr() + "/kv/a"));
        cluster.server(3).answer(reply(307, "").header("Location", "http://" + n1.addr() + "/kv/a"));
        checks.get(allExcept(n1), "/kv/a")
                .status(307)
                .header("Location", "http://" + n1.addr() + "/kv/a")
                .check();
        assertThat(cluster.server(1).received()).isEmpty();
    }

    @Test
    void atLeastOnePassesWhenOneMeets() {
        roles("follower", "leader", "follower");
        CheckResult result = checks.get(atLeastOne(), "/cluster/info")
                .status(200)
                .json("role", "leader")
                .check();
        assertThat(result.responses()).hasSize(3);
        assertThat(result.node()).isSameAs(n2);
        roles("follower", "follower", "follower");
        assertThatThrownBy(() -> checks.get(atLeastOne(), "/cluster/info")
                        .json("role", "leader")
                        .check())
                .hasMessage("""
                        GET /cluster/info on n1, n2, n3 → expected at least one node with json "role" = "leader", but none did
                          n1 (%s): 200 "{"role":"follower"}" — failed: json "role" was "follower"
                          n2 (%s): 200 "{"role":"follower"}" — failed: json "role" was "follower"
                          n3 (%s): 200 "{"role":"follower"}" — failed: json "role" was "follower\"""", n1.uri(), n2.uri(), n3.uri());
    }

    @Test
    void exactlyOneNamesHowManyMet() {
        roles("leader", "follower", "leader");
        assertThatThrownBy(() -> checks.get(exactlyOne(), "/cluster/info")
                        .status(200)
                        .json("role", "leader")
                        .hint("Only one leader per term.")
                        .check())
                .hasMessage("""
                        GET /cluster/info on n1, n2, n3 → expected exactly one node with status 200 and json "role" = "leader", but 2 did (n1, n3)
                          n1 (%s): 200 "{"role":"leader"}" — ok
                          n2 (%s): 200 "{"role":"follower"}" — failed: json "role" was "follower"
                          n3 (%s): 200 "{"role":"leader"}" — ok
                        Hint: Only one leader per term.""", n1.uri(), n2.uri(), n3.uri());
        roles("follower", "follower", "candidate");
        assertThatThrownBy(() -> checks.get(exactlyOne(), "/cluster/info")
                        .json("role", "leader")
                        .check())
                .hasMessageStartingWith(
                        "GET /cluster/info on n1, n2, n3 → expected exactly one node with json \"role\" = \"leader\", but none did\n");
        roles("follower", "follower", "leader");
        CheckResult result =
                checks.get(exactlyOne(), "/cluster/info").json("role", "leader").check();
        assertThat(result.node()).isSameAs(n3);
        assertThat(result.passing()).hasSize(1);
    }

    @Test
    void resultNodeNeedsExactlyOnePassingNode() {
        CheckResult result = checks.get(all(), "/").status(200).check();
        assertThat(result.passing()).hasSize(3);
        assertThatThrownBy(result::node)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("expected exactly one passing node but 3 passed (n1, n2, n3); use passing()");
    }

    @Test
    void severalNodesAreRequestedConcurrently() {
        CountDownLatch all3 = new CountDownLatch(3);
        for (int i = 1; i <= 3; i++) {
            cluster.server(i).answer(r -> {
                all3.countDown();
                try {
                    // answers only once every node has the request: a sequential client would time out
                    return reply(all3.await(5, TimeUnit.SECONDS) ? 200 : 500, "");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return reply(500, "");
                }
            });
        }
        checks.get(all(), "/").status(200).timeout(Duration.ofSeconds(10)).check();
    }

    @Test
    void selectorsDescribeThemselves() {
        assertThat(node(n1)).hasToString("node(n1)");
        assertThat(nodes(n1, n2)).hasToString("nodes(n1, n2)");
        assertThat(allExcept(n1, n3)).hasToString("allExcept(n1, n3)");
        assertThat(all()).hasToString("all()").isEqualTo(all());
        assertThatThrownBy(Select::nodes).isInstanceOf(IllegalArgumentException.class);
    }
}
