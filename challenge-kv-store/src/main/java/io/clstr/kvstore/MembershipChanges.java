package io.clstr.kvstore;

import static io.clstr.junit.check.Select.node;
import static io.clstr.junit.check.Select.nodes;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.DependsOn;
import io.clstr.junit.Node;
import io.clstr.junit.NodeState;
import io.clstr.junit.Nodes;
import io.clstr.junit.Stage;
import io.clstr.junit.check.Failure;
import io.clstr.junit.check.Poll;
import io.clstr.junit.network.Impairment;
import io.clstr.junit.raft.RaftView;
import io.clstr.junit.raft.RaftView.Info;
import io.clstr.junit.raft.RaftView.Leader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 7: single-server membership changes. The cluster starts with three members (n1–n3) and two
 * spares (n4, n5: started by the tests, with empty {@code PEERS} and every route in {@code ROUTES});
 * nodes join (catching up as learners first) and leave, the leader included, one change at a time,
 * and a removed node never disrupts the members.
 *
 * <p>The tests run in order on one cluster whose configuration they change, so the class keeps the
 * members in a field. Timing as in stages 4–6: windows of 3 s, a settle of 3 s after partitions,
 * 1 s per request; requests that change the membership get {@link Membership#CHANGE_TIMEOUT}.
 */
@ClstrCluster(nodes = 3, spares = 2, requestTimeoutMillis = 1000, settleMillis = 3000)
@Stage(key = "membership-changes", title = "Add and Remove Nodes One at a Time")
public class MembershipChanges {

    private static final Duration WINDOW = Members.WINDOW;
    /** How long a newcomer's bytes are held: long enough that its learner phase cannot be missed. */
    private static final int SLOW_NEWCOMER_MILLIS = 2000;
    /** A join through a follower crosses two slowed hops before the leader sees it, then a window. */
    private static final Duration LEARNER_WINDOW =
            Duration.ofMillis(2L * SLOW_NEWCOMER_MILLIS).plus(WINDOW);
    /** The spec's window for "Removed Node Does Not Disrupt the Cluster". */
    private static final Duration STABLE = Duration.ofSeconds(5);
    /** A spare that elects itself does so within one election timeout (at most 1 s). */
    private static final Duration SPARE_WINDOW = Duration.ofSeconds(1);

    /** The least successful operations "Linearizable During Changes" must see, reads and writes. */
    private static final int MIN_OK = 150;

    private static final String[] CHANGE_CAUSES = {
        "POST /cluster/join and /cluster/leave are answered by the node they are sent to, never with a 307: it "
                + "asks the leader itself, through ROUTES, and follows redirects between nodes.",
        "Answer 200 once the configuration entry of the change is committed.",
        "A join or leave may take seconds (a newcomer catches up first): keep the client's request open until "
                + "then."
    };

    /** The voting members, as the tests changed them; null until the first test runs. */
    private Members config;
    /** The leader that left in "Leader Leaves and Steps Down", killed since; null until then. */
    private Node departedLeader;

    @Test
    @DisplayName("Node Joins and Catches Up")
    void nodeJoinsAndCatchesUp(Cluster cluster) {
        Members members = members(cluster);
        Node newcomer = startSpare(cluster);
        Leader leader = members.leader();
        Map<String, String> written = new Kv(cluster, leader.node())
                .putFresh(
                        new Values(cluster.random()),
                        "joined",
                        20,
                        "The leader " + leader.node().name() + " must commit writes as in stage 5.");
        cluster.impair(List.of(newcomer), Impairment.latency(SLOW_NEWCOMER_MILLIS));
        Membership.Pending<?> join = joinInBackground(cluster, newcomer, leader.node());
        cluster.get(node(leader.node()), Membership.INFO)
                .status(200)
                .json("learners", hasItem(newcomer.addr()))
                .json("members", Membership.addrs(members.now()))
                .eventually(LEARNER_WINDOW)
                .hint(
                        "While " + newcomer.name() + " caught up (everything it sends is held "
                                + SLOW_NEWCOMER_MILLIS / 1000 + " s), the leader "
                                + leader.node().name()
                                + " never listed it in \"learners\" with \"members\" still the old three.",
                        "A newcomer first catches up as a learner: the leader sends it the log but counts it in no "
                                + "majority, and GET /cluster/info on the leader lists it in \"learners\".",
                        "Only once it holds the log (its matchIndex reaches the commit index) does the leader append "
                                + "the configuration with it as a voter.",
                        "Made a voter at once, a newcomer with an empty log counts towards majorities it cannot help "
                                + "reach: with one member down, nothing commits until it has caught up.")
                .check();
        cluster.repair(newcomer);
        join.await();
        members.add(newcomer);
        new Membership(cluster)
                .expectMembers(
                        members.now(),
                        members.now(),
                        WINDOW,
                        "Once the join is committed, every member (the newcomer too) must report the four members, "
                                + "sorted, in \"members\".",
                        "A configuration entry takes effect on each node as soon as it is in its log.",
                        "The newcomer learns the members from the configuration entries it receives, not from PEERS.");
        RaftLogs.awaitAgreement(
                cluster,
                leader.node(),
                members.now(),
                WINDOW,
                newcomer.name() + " joined but its log did not catch up with the leader's.",
                "The leader replicates to a learner as to a follower, from nextIndex, or sends its snapshot when "
                        + "the entries it needs are compacted away.",
                "Answer GET /log and GET /log/snapshot on every node, members or not.");
        new Kv(cluster, leader.node())
                .expectAll(written, "The leader lost a write while a node joined.", "A join changes no data.");
    }

    @Test
    @DisplayName("Quorum Grows With Membership")
    @DependsOn("Node Joins and Catches Up")
    void quorumGrowsWithMembership(Cluster cluster) {
        Members members = members(cluster);
        Leader leader = members.leader();
        List<Node> original = cluster.members();
        List<Node> survivors = new ArrayList<>();
        if (original.contains(leader.node())) {
            survivors.add(leader.node());
        }
        while (survivors.size() < 2) {
            List<Node> left =
                    original.stream().filter(n -> !survivors.contains(n)).toList();
            survivors.add(left.get(cluster.random().nextInt(left.size())));
        }
        List<Node> killed =
                members.now().stream().filter(n -> !survivors.contains(n)).toList();
        cluster.kill(killed.toArray(Node[]::new));
        String key = "quorum-" + new Values(cluster.random()).token(6);
        cluster.put(nodes(survivors.toArray(Node[]::new)), "/kv/" + key, "never")
                .followRedirects()
                .timeout(WINDOW)
                .status(not(is(200)))
                .hint(
                        "With " + Nodes.names(killed) + " killed, 2 of the " + members.size()
                                + " members are left: no write may commit (a majority of " + members.size() + " is "
                                + (members.size() / 2 + 1) + "), yet one answered 200.",
                        "Count every majority (commits, votes, the leader's step-down check) over the voting members "
                                + "of the configuration in force, not over PEERS.",
                        "The two survivors were a majority of the original three: a node still counting the old "
                                + "configuration commits here.")
                .check();
        cluster.start(killed.toArray(Node[]::new));
        Node back = members.leader().node();
        new Kv(cluster, back)
                .put(
                        key,
                        "committed",
                        "With all " + members.size() + " members back, writes must commit again.",
                        "A restarted member reads its configuration back from its log.");
    }

    @Test
    @DisplayName("Follower Leaves")
    void followerLeaves(Cluster cluster) {
        Members members = members(cluster);
        Leader leader = members.leader();
        Node leaving = members.other(leader.node());
        leave(cluster, leaving, "(a follower)");
        members.remove(leaving);
        Membership membership = new Membership(cluster);
        membership.expectMembers(
                members.now(),
                members.now(),
                WINDOW,
                "Once the leave is committed, the remaining members must report themselves alone in \"members\".",
                "A configuration entry takes effect on each node as soon as it is in its log.");
        membership.expectRemoved(leaving, false, WINDOW, Membership.removedHint(leaving));
        cluster.kill(leaving);
        Node current = members.leader().node();
        new Kv(cluster, current)
                .put(
                        "left-" + leaving.name(),
                        "committed",
                        "After " + leaving.name() + " left, the " + members.size() + " members must still commit "
                                + "writes.",
                        "Majorities are now counted over " + members.size() + " members: the one that left is no "
                                + "longer waited for.");
    }

    @Test
    @DisplayName("Leader Leaves and Steps Down")
    void leaderLeavesAndStepsDown(Cluster cluster) {
        Members members = members(cluster);
        Leader leader = members.leader();
        leave(cluster, leader.node(), "(the leader)");
        members.remove(leader.node());
        Membership membership = new Membership(cluster);
        membership.expectRemoved(
                leader.node(),
                true,
                WINDOW,
                Membership.removedHint(
                        leader.node(),
                        "A leader that removes itself keeps leading until the configuration without it is "
                                + "committed (it does not count itself in that majority), then steps down to "
                                + "follower.",
                        "Leading on would leave the cluster with a leader that is no member."));
        cluster.kill(leader.node());
        departedLeader = leader.node();
        Node successor = members.leader().node();
        membership.expectMembers(
                members.now(),
                members.now(),
                WINDOW,
                "After the leader left, the remaining members must report themselves alone in \"members\".",
                "They elect a new leader among themselves once the old one stops sending heartbeats.");
        new Kv(cluster, successor)
                .put(
                        "leader-left",
                        "committed",
                        "The new leader " + successor.name() + " must commit writes.",
                        "Majorities are counted over the " + members.size() + " remaining members.");
    }

    @Test
    @DisplayName("One Change at a Time")
    void oneChangeAtATime(Cluster cluster) {
        Members members = members(cluster);
        Node newcomer = startSpare(cluster);
        Leader leader = members.leader();
        cluster.impair(List.of(newcomer), Impairment.latency(SLOW_NEWCOMER_MILLIS));
        Node other = members.size() > 1 ? members.other(leader.node()) : leader.node();
        Membership membership = new Membership(cluster);
        Membership.Pending<?> join = joinInBackground(cluster, newcomer, other);
        cluster.get(node(leader.node()), Membership.INFO)
                .status(200)
                .json("learners", hasItem(newcomer.addr()))
                .eventually(LEARNER_WINDOW)
                .hint(
                        "The leader " + leader.node().name() + " never listed " + newcomer.name() + " in "
                                + "\"learners\" while it caught up (everything it sends is held "
                                + SLOW_NEWCOMER_MILLIS / 1000 + " s).",
                        "The member named in {\"leader\": ...} may be a follower: follow its 307 to the leader.",
                        "A newcomer catches up as a learner first, listed in \"learners\" on the leader.")
                .check();
        membership
                .leave(other)
                .status(409)
                .body("configuration change in progress")
                .hint(
                        "While " + newcomer.name() + "'s join was in progress, POST /cluster/leave on " + other.name()
                                + " must be refused with 409 \"configuration change in progress\".",
                        "Single-server changes are safe only one at a time: each new configuration must share a "
                                + "majority with the one before, which two overlapping changes do not guarantee.",
                        "A change is in progress from the moment the leader accepts it (its newcomer's catch-up "
                                + "included) until its configuration entry is committed.",
                        "The node the request was sent to passes the leader's 409 on as it is.")
                .check();
        cluster.repair(newcomer);
        join.await();
        members.add(newcomer);
        membership.expectMembers(
                members.now(),
                members.now(),
                WINDOW,
                "After the join, the members must be the " + members.size() + " of before and " + newcomer.name()
                        + ": the refused leave must have changed nothing.");
    }

    @Test
    @DisplayName("Removed Node Does Not Disrupt the Cluster")
    @DependsOn("Leader Leaves and Steps Down")
    void removedNodeDoesNotDisrupt(Cluster cluster) {
        Members members = members(cluster);
        Node removed = departedLeader;
        if (removed == null) {
            removed = removeFollower(cluster, members);
        } else {
            cluster.start(removed);
        }
        Leader leader = members.leader();
        List<Node> asked = new ArrayList<>(members.now());
        asked.add(removed);
        Node outsider = removed;
        Poll.Outcome<List<Info>> outcome = Poll.every(Poll.DEFAULT_INTERVAL)
                .consistently(
                        STABLE, () -> RaftView.snapshot(cluster, asked), round -> undisturbed(round, leader, outsider));
        if (!outcome.held()) {
            throw Failure.of("GET /cluster/info on " + Nodes.names(asked) + ", every 100 ms for " + STABLE.toSeconds()
                            + " s")
                    .expected("the members keep " + leader.node().name() + " as leader in term " + leader.term()
                            + ", and " + removed.name() + " (removed, running) reports \"members\": [], role "
                            + "follower and leader null")
                    .found("not so after " + outcome.elapsed().toMillis() + " ms")
                    .lines("The answers:", outcome.last())
                    .hint(
                            "The removed node " + removed.name() + " disturbed the cluster or claimed a role.",
                            "A removed node hears no heartbeats: if it keeps its election timer it campaigns, and its "
                                    + "higher term makes the leader step down, again and again.",
                            "Stop campaigning once the configuration in force no longer has you as a voter.",
                            "And on the members: PreVote (a candidate first asks whether it could win, changing no "
                                    + "term), or ignore vote requests while you hear from a live leader.")
                    .error();
        }
    }

    @Test
    @DisplayName("Linearizable During Changes")
    void linearizableDuringChanges(Cluster cluster) {
        Members members = members(cluster);
        members.leader();
        Clients.checkLinearizable(
                cluster,
                "while members left",
                MIN_OK,
                clients -> {
                    while (members.size() > 1) {
                        Leader leader = members.leader();
                        Node leaving = members.size() == 3 ? leader.node() : members.other(leader.node());
                        leave(cluster, leaving, "while clients were busy");
                        members.remove(leaving);
                        members.leader();
                        clients.calm();
                    }
                },
                "Look in the timeline for the highlighted operations, the node that served them, and the "
                        + "membership change before them.",
                "A leader that removed itself must stop serving once it has stepped down: a read it answers "
                        + "afterwards may be stale.",
                "Count each majority over the configuration in force: a write counted by the wrong majority can "
                        + "be lost when the leader changes.");
    }

    // ---------------------------------------------------------------- steps

    /**
     * POST /cluster/join on {@code newcomer} naming {@code contact}, on a thread of its own (the test
     * watches the learner phase meanwhile); {@code await()} fails unless it answered 200.
     */
    private static Membership.Pending<?> joinInBackground(Cluster cluster, Node newcomer, Node contact) {
        return Membership.inBackground(new Membership(cluster)
                .join(newcomer, contact)
                .status(200)
                .hint(
                        "POST /cluster/join on " + newcomer.name() + " ({\"leader\": \"" + contact.addr()
                                + "\"}) did not answer 200 within " + Membership.CHANGE_TIMEOUT.toSeconds() + " s.",
                        CHANGE_CAUSES));
    }

    /** POST /cluster/leave on {@code leaving}, answered 200; {@code which} says more of it in the hint. */
    private static void leave(Cluster cluster, Node leaving, String which) {
        new Membership(cluster)
                .leave(leaving)
                .status(200)
                .hint(
                        "POST /cluster/leave on " + leaving.name() + " " + which + " did not answer 200 within "
                                + Membership.CHANGE_TIMEOUT.toSeconds() + " s.",
                        CHANGE_CAUSES)
                .check();
    }

    /** The members as the tests changed them, with the leader they agree on. */
    private Members members(Cluster cluster) {
        if (config == null) {
            config = new Members(cluster);
        }
        return config;
    }

    /** Starts the next spare and checks that it is no member and does not elect itself. */
    private Node startSpare(Cluster cluster) {
        Node spare = cluster.spares().stream()
                .filter(n -> n.state() == NodeState.NEW)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no spare left to start"));
        cluster.start(spare);
        cluster.get(node(spare), Membership.INFO)
                .status(200)
                .json("members", List.of())
                .json("role", "follower")
                .json("leader", nullValue())
                .consistently(SPARE_WINDOW)
                .hint(
                        spare.name() + " is a spare: started with an empty PEERS, it is no member until it joins, "
                                + "so it must report \"members\": [], role follower and leader null.",
                        "A node with an empty PEERS but a non-empty ROUTES is a spare: it must not elect itself as a "
                                + "cluster of one.",
                        "It waits for POST /cluster/join, and learns the members from the leader's log.")
                .check();
        return spare;
    }

    /** Removes a follower and leaves it running: what "Removed Node Does Not Disrupt" needs when run alone. */
    private static Node removeFollower(Cluster cluster, Members members) {
        Node leaving = members.other(members.leader().node());
        leave(cluster, leaving, "(a follower)");
        members.remove(leaving);
        return leaving;
    }

    /** The members name {@code leader} in its term, and the removed node is idle. */
    private static boolean undisturbed(List<Info> round, Leader leader, Node removed) {
        for (Info info : round) {
            if (info.node() == removed) {
                if (!"follower".equals(info.role())
                        || info.leader() != null
                        || !List.of()
                                .equals(info.response().jsonValue("members").orElse(null))) {
                    return false;
                }
            } else if (!leader.node().addr().equals(info.leader())
                    || !Long.valueOf(leader.term()).equals(info.term())
                    || (info.node() == leader.node()) != info.isLeader()) {
                return false;
            }
        }
        return true;
    }
}
