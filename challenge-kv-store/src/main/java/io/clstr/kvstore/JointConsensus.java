package io.clstr.kvstore;

import static io.clstr.junit.check.Select.node;
import static io.clstr.junit.check.Select.nodes;
import static org.hamcrest.Matchers.not;

import io.clstr.junit.ClstrCluster;
import io.clstr.junit.Cluster;
import io.clstr.junit.Node;
import io.clstr.junit.Nodes;
import io.clstr.junit.Stage;
import io.clstr.junit.raft.RaftView.Leader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stage 8: arbitrary membership changes through joint consensus. {@code POST /cluster/config} on the
 * leader moves the cluster from C_old to C_new through C_old,new, in which every decision needs a
 * majority of both; newcomers catch up as learners first. The cluster starts with three members
 * (n1–n3) and four spares (n4–n7); a node removed by one test may be added again by a later one.
 *
 * <p>To hold a change in its joint phase, the tests cut one member of C_new off before asking for
 * it: C_old,new cannot commit without a majority of C_new, so the leader can be killed, or the
 * cluster split, while the change is half done. Timing as in stages 4–7: windows of 3 s, a settle
 * of 3 s after every partition and heal, 1 s per request ({@link Membership#CHANGE_TIMEOUT} for
 * changes).
 */
@ClstrCluster(nodes = 3, spares = 4, requestTimeoutMillis = 1000, settleMillis = 3000)
@Stage(key = "joint-consensus", title = "Add and Remove Nodes in Bulk")
public class JointConsensus {

    private static final Duration WINDOW = Members.WINDOW;
    private static final int CLIENTS = 8;
    /** The least successful operations "Linearizable During Bulk Changes" must see, reads and writes. */
    private static final int MIN_OK = 150;

    private static final Duration CALM = Duration.ofSeconds(2);
    private static final int CALM_OPERATIONS = 50;
    private static final Duration CALM_LIMIT = Duration.ofSeconds(10);

    private static final String[] CHANGE_CAUSES = {
        "POST /cluster/config {\"members\": [...]} on the leader: catch the newcomers up as learners, append "
                + "C_old,new, and once it is committed append C_new; answer 200 once C_new is committed.",
        "A configuration takes effect on each node as soon as it is in its log, committed or not.",
        "While joint, every decision (a commit, an election, the leader's quorum check) needs a majority of C_old "
                + "and a majority of C_new."
    };

    /** The voting members, as the tests changed them; null until the first test runs. */
    private Members config;

    @Test
    @DisplayName("Grow 3 to 5 in One Change")
    void growThreeToFive(Cluster cluster) {
        Members members = members(cluster);
        List<Node> next = new ArrayList<>(members.now());
        next.addAll(members.outsiders(2));
        Leader leader = members.leader();
        Node follower = members.other(leader.node());
        cluster.post(node(follower), Membership.CONFIG, Membership.configBody(next))
                .withHeader("Content-Type", "application/json")
                .status(307)
                .header("Location", "http://" + leader.node().addr() + Membership.CONFIG)
                .hint(
                        "POST /cluster/config on the follower " + follower.name() + " must be answered 307 with "
                                + "Location: http://<leader ADDR>/cluster/config, as /kv requests are.",
                        "Only the leader carries out a configuration change.")
                .check();
        change(cluster, leader.node(), next, "Growing from 3 to 5 members failed.");
        members.set(next);
        expectMembers(
                cluster,
                members,
                "After the change every member, the two newcomers too, must report the "
                        + "five members and no joint configuration.");
        RaftLogs.awaitAgreement(
                cluster,
                leader.node(),
                members.now(),
                WINDOW,
                "The newcomers' logs did not catch up with the leader's.",
                "A newcomer is caught up as a learner before C_old,new is appended, so that it does not slow "
                        + "the commits it is needed for.");
    }

    @Test
    @DisplayName("Shrink 5 to 3 Including the Leader")
    void shrinkFiveToThreeIncludingTheLeader(Cluster cluster) {
        Members members = members(cluster);
        Leader leader = members.leader();
        Node alsoLeaving = members.other(leader.node());
        List<Node> next = members.now().stream()
                .filter(n -> n != leader.node() && n != alsoLeaving)
                .toList();
        change(
                cluster,
                leader.node(),
                next,
                "Shrinking to " + Nodes.names(next) + " (the leader not among them) " + "failed.");
        Membership membership = new Membership(cluster);
        membership.expectRemoved(
                leader.node(),
                true,
                WINDOW,
                Membership.removedHint(
                        leader.node(),
                        "A leader that is not in C_new manages the change to its end (it counts itself in no "
                                + "majority of C_new), then steps down once C_new is committed."));
        membership.expectRemoved(alsoLeaving, true, WINDOW, Membership.removedHint(alsoLeaving));
        members.set(next);
        Node successor = members.leader().node();
        expectMembers(cluster, members, "After the change the three members left must report themselves alone.");
        new Kv(cluster, successor)
                .put(
                        "shrunk",
                        "committed",
                        "The three remaining members must elect a leader and commit writes.",
                        "Majorities are now counted over C_new only.");
    }

    @Test
    @DisplayName("Replace Every Member (disjoint old and new)")
    void replaceEveryMember(Cluster cluster) {
        Members members = members(cluster);
        List<Node> old = members.now();
        List<Node> next = members.outsiders(old.size());
        Leader leader = members.leader();
        Map<String, String> written = new Kv(cluster, leader.node())
                .putFresh(
                        new Values(cluster.random()),
                        "replaced",
                        20,
                        "The leader " + leader.node().name() + " must commit writes.");
        change(
                cluster,
                leader.node(),
                next,
                "Replacing " + Nodes.names(old) + " with " + Nodes.names(next) + " failed.");
        Membership membership = new Membership(cluster);
        for (Node gone : old) {
            membership.expectRemoved(
                    gone,
                    true,
                    WINDOW,
                    Membership.removedHint(
                            gone,
                            "Every old member is removed; the leader among them steps down once C_new is "
                                    + "committed, and C_new elects a leader of its own."));
        }
        members.set(next);
        Node successor = members.leader().node();
        expectMembers(cluster, members, "After the change the new members must report themselves alone.");
        RaftLogs.awaitAgreement(
                cluster,
                successor,
                members.now(),
                WINDOW,
                "The new members' logs do not agree.",
                "The new leader replicates its log to every new member, as in stage 5.");
        new Kv(cluster, successor)
                .expectAll(
                        written,
                        "A write acknowledged before every member was replaced is missing on the new leader "
                                + successor.name() + ".",
                        "Newcomers catch up on the whole log (or the snapshot and what follows) as learners before "
                                + "they vote; then C_new holds every committed entry.");
    }

    @Test
    @DisplayName("Leader Crash Mid-Change Completes the Transition")
    void leaderCrashMidChange(Cluster cluster) {
        Members members = atLeastThree(cluster);
        Leader leader = members.leader();
        Node cut = members.other(leader.node());
        Node kept = members.other(leader.node(), cut);
        List<Node> next = List.of(cut, kept);
        Membership.Pending<?> change = holdJoint(
                cluster,
                leader.node(),
                cut,
                next,
                List.of(leader.node(), kept),
                "After POST /cluster/config {\"members\": " + Membership.addrs(next) + "} on the leader "
                        + leader.node().name() + ", it and " + kept.name() + " must report \"joint\": "
                        + "{\"old\": [...], \"new\": [...]} (" + cut.name() + " is cut off, so the change "
                        + "cannot finish).",
                "Append C_old,new at once when there is no newcomer to catch up; it takes effect as soon as "
                        + "it is in a node's log.",
                "GET /cluster/info shows \"joint\" while the configuration in force is C_old,new, and "
                        + "\"members\" is then the union of both.");
        cluster.kill(leader.node());
        change.await();
        cluster.heal();
        members.set(next);
        Node successor = members.leader().node();
        expectMembers(
                cluster,
                members,
                "The leader crashed while C_old,new was in force; its successor did not finish the change to "
                        + Nodes.names(next) + ".",
                "A leader elected while C_old,new is in force, once it has committed it, appends C_new itself: "
                        + "whoever began the change.",
                "So every leader checks, after each commit, whether the latest configuration is a committed "
                        + "C_old,new.");
        new Kv(cluster, successor)
                .put(
                        "completed",
                        "committed",
                        "Once the change is complete, " + Nodes.names(next) + " must commit writes.",
                        "Majorities are counted over C_new alone once it is in force.");
    }

    @Test
    @DisplayName("No Split Brain During Change")
    void noSplitBrainDuringChange(Cluster cluster) {
        Members members = atLeastThree(cluster);
        Node newcomer = members.outsiders(1).get(0);
        Leader leader = members.leader();
        Node cut = members.other(leader.node());
        List<Node> old = members.now();
        List<Node> next = List.of(cut, newcomer);
        Membership.Pending<?> change = holdJoint(
                cluster,
                leader.node(),
                cut,
                next,
                List.of(leader.node(), newcomer),
                "After POST /cluster/config {\"members\": " + Membership.addrs(next) + "} on the leader "
                        + leader.node().name() + ", it and the newcomer " + newcomer.name() + " must report "
                        + "\"joint\" once " + newcomer.name() + " has caught up.",
                "Catch the newcomer up as a learner, then append C_old,new and send it to every node of "
                        + "both configurations.");
        List<Node> newSide = List.of(cut, newcomer);
        cluster.partition(newSide, othersThan(cluster, cut, newcomer));
        cluster.get(nodes(cut, newcomer), Membership.INFO)
                .status(200)
                .json("role", not("leader"))
                .consistently(WINDOW)
                .hint(
                        Nodes.names(newSide) + " are all of C_new but only one of the " + old.size() + " members of "
                                + "C_old: while C_old,new is in force they must not elect a leader.",
                        "While joint, a candidate needs votes from a majority of C_old and a majority of C_new; "
                                + "counting C_new alone lets this side and C_old's side each have a leader.",
                        "The same two majorities decide commits and the leader's quorum check.")
                .check();
        cluster.heal();
        change.await();
        members.set(next);
        members.leader();
        expectMembers(
                cluster,
                members,
                "After the partition healed, the change to " + Nodes.names(next) + " must complete.",
                "A leader elected under C_old,new commits it and appends C_new.");
    }

    @Test
    @DisplayName("Linearizable During Bulk Changes")
    void linearizableDuringBulkChanges(Cluster cluster) {
        Members members = members(cluster);
        members.leader();
        Clients.checkLinearizable(
                cluster,
                "during two bulk changes",
                MIN_OK,
                clients -> {
                    List<Node> grown = new ArrayList<>(members.now());
                    grown.addAll(members.outsiders(Math.max(0, 5 - members.size())));
                    Leader leader = members.leader();
                    change(cluster, leader.node(), grown, "Growing to " + Nodes.names(grown) + " under load failed.");
                    members.set(grown);
                    clients.calm();
                    Node leaderNow = members.leader().node();
                    List<Node> shrunk = members.now().stream()
                            .filter(n -> n != leaderNow)
                            .limit(3)
                            .toList();
                    change(
                            cluster,
                            leaderNow,
                            shrunk,
                            "Moving to " + Nodes.names(shrunk) + " (the leader not among them) under load failed.");
                    members.set(shrunk);
                    members.leader();
                    clients.calm();
                },
                "Look in the timeline for the highlighted operations, the node that served them, and the change "
                        + "before them.",
                "While joint, a write is committed only once a majority of C_old and of C_new hold it.",
                "A leader that left must stop serving reads once it has stepped down.");
    }

    // ---------------------------------------------------------------- steps

    private Members members(Cluster cluster) {
        if (config == null) {
            config = new Members(cluster);
        }
        return config;
    }

    /** The members, first grown to three (a plain change) when fewer are left. */
    private Members atLeastThree(Cluster cluster) {
        Members members = members(cluster);
        if (members.size() < 3) {
            List<Node> next = new ArrayList<>(members.now());
            next.addAll(members.outsiders(3 - members.size()));
            Leader leader = members.leader();
            change(cluster, leader.node(), next, "Growing to " + Nodes.names(next) + " failed.");
            members.set(next);
            members.leader();
        }
        return members;
    }

    /** POST /cluster/config on {@code leader} moving to {@code next}, answered 200. */
    private static void change(Cluster cluster, Node leader, List<Node> next, String diagnosis) {
        new Membership(cluster)
                .config(leader, next)
                .status(200)
                .hint(diagnosis, CHANGE_CAUSES)
                .check();
    }

    private static void expectMembers(Cluster cluster, Members members, String diagnosis, String... causes) {
        new Membership(cluster).expectMembers(members.now(), members.now(), WINDOW, diagnosis, causes);
    }

    /**
     * Holds a change in its joint phase: cuts {@code cut} (a member of C_new) off from every other
     * node, asks {@code leader} in the background to move to {@code next}, and waits (up to 3 s)
     * until each of {@code asked} reports C_old,new. C_old,new cannot commit without {@code cut}.
     * Returns the request, which the test lets end once it has done with the change.
     */
    private Membership.Pending<?> holdJoint(
            Cluster cluster,
            Node leader,
            Node cut,
            List<Node> next,
            List<Node> asked,
            String diagnosis,
            String... causes) {
        List<Node> old = members(cluster).now();
        cluster.partitionNow(List.of(cut), othersThan(cluster, cut));
        Membership.Pending<?> change = new Membership(cluster).configInBackground(leader, next);
        cluster.get(nodes(asked.toArray(Node[]::new)), Membership.INFO)
                .status(200)
                .json("joint.old", Membership.addrs(old))
                .json("joint.new", Membership.addrs(next))
                .eventually(WINDOW)
                .hint(diagnosis, causes)
                .check();
        return change;
    }

    /** Every running node but {@code excluded}. */
    private static List<Node> othersThan(Cluster cluster, Node... excluded) {
        return cluster.live().stream()
                .filter(n -> !List.of(excluded).contains(n))
                .toList();
    }
}
