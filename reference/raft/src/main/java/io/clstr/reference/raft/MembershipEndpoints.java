package io.clstr.reference.raft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The membership API: {@code POST /cluster/join} (to the newcomer, {@code {"leader": ADDR}}),
 * {@code POST /cluster/leave} (to the member leaving), {@code POST /cluster/config} (to the
 * leader, {@code {"members": [ADDR...]}}, joint consensus) and, between nodes, {@code POST
 * /raft/change} ({@code {"add": ADDR}} or {@code {"remove": ADDR}}, to the leader). Join and leave
 * are answered by the node they are sent to, which asks the leader itself through {@code ROUTES}
 * and follows redirects; each waits at most {@link #CHANGE_TIMEOUT}.
 */
final class MembershipEndpoints {

    static final String JOIN = "/cluster/join";
    static final String LEAVE = "/cluster/leave";
    static final String CONFIG = "/cluster/config";
    static final String CHANGE = "/raft/change";

    /** How long a join, leave or bulk change may take: catch-up (at most 8 s) and two commits. */
    static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(10);

    private static final long RETRY_MILLIS = 100;

    /** What to answer: a status, a text or JSON body, and for a redirect its location. */
    private record Answer(int status, String contentType, byte[] body, String location) {
        static Answer text(int status, String text) {
            return new Answer(status, HttpReplies.TEXT, text.getBytes(StandardCharsets.UTF_8), null);
        }
    }

    private final RaftNode node;
    private final PeerClient client;
    private final ObjectMapper json;

    MembershipEndpoints(RaftNode node, PeerClient client, ObjectMapper json) {
        this.node = node;
        this.client = client;
        this.json = json;
    }

    static boolean serves(String path) {
        return path.equals(JOIN) || path.equals(LEAVE) || path.equals(CONFIG) || path.equals(CHANGE);
    }

    /** Answers one of these paths; blocks the calling thread until the change is decided. */
    void handle(HttpExchange exchange, String method, String path, byte[] body) {
        Answer answer;
        if (!method.equals("POST")) {
            answer = Answer.text(405, "method not allowed");
        } else {
            JsonNode request;
            try {
                request = body.length == 0 ? json.createObjectNode() : json.readTree(body);
            } catch (IOException e) {
                request = null;
            }
            if (request == null || !request.isObject()) {
                answer = Answer.text(400, "the body must be a JSON object");
            } else {
                long deadline = System.nanoTime() + CHANGE_TIMEOUT.toNanos();
                answer = switch (path) {
                    case JOIN -> join(request, deadline);
                    case LEAVE -> leave(deadline);
                    case CONFIG -> config(request, deadline);
                    default -> change(request, deadline);
                };
            }
        }
        if (answer.location() != null) {
            exchange.getResponseHeaders().set("Location", answer.location());
        }
        HttpReplies.send(exchange, answer.status(), answer.contentType(), answer.body());
    }

    private Answer join(JsonNode request, long deadline) {
        String leader = text(request, "leader");
        if (leader == null) {
            return Answer.text(400, "give the ADDR of a member as \"leader\"");
        }
        if (node.isMember()) {
            return members(node.clusterInfo().members());
        }
        return askLeader(leader, "add", deadline);
    }

    private Answer leave(long deadline) {
        if (!node.isMember()) {
            return Answer.text(400, "this node is not a member");
        }
        while (true) {
            RaftNode.Routing routing = node.routing();
            if (routing.leader()) {
                return await(node.removeMember(node.id()), deadline, LEAVE);
            }
            if (routing.leaderId() != null) {
                return askLeader(routing.leaderId(), "remove", deadline);
            }
            if (!pause(deadline)) {
                return Answer.text(503, "no leader within " + CHANGE_TIMEOUT.toSeconds() + " s");
            }
        }
    }

    private Answer config(JsonNode request, long deadline) {
        JsonNode members = request.get("members");
        if (members == null || !members.isArray() || members.isEmpty()) {
            return Answer.text(400, "give the new members as a non-empty \"members\" array of ADDRs");
        }
        Set<String> target = new TreeSet<>();
        for (JsonNode member : members) {
            if (!member.isTextual() || member.asText().isBlank()) {
                return Answer.text(400, "every member must be an ADDR string");
            }
            target.add(member.asText().trim());
        }
        return await(node.changeMembers(target), deadline, CONFIG);
    }

    /** On the leader, from a joining or leaving node. */
    private Answer change(JsonNode request, long deadline) {
        String add = text(request, "add");
        String remove = text(request, "remove");
        if ((add == null) == (remove == null)) {
            return Answer.text(400, "give exactly one of \"add\" and \"remove\"");
        }
        return await(add != null ? node.addMember(add) : node.removeMember(remove), deadline, CHANGE);
    }

    /**
     * Sends this node's change to {@code target}, following redirects to the leader and retrying
     * while there is none, until an answer decides it or {@code deadline} passes.
     */
    private Answer askLeader(String target, String field, long deadline) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(Map.of(field, node.id()));
        } catch (IOException e) {
            return Answer.text(500, "cannot encode the request: " + e.getMessage());
        }
        String first = target;
        String problem = "no answer";
        while (true) {
            String route = node.routeTo(target);
            if (route == null) {
                return Answer.text(400, "no route to " + target + ": give the ADDR of a member (one in ROUTES)");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Answer.text(
                        503, "the change was not decided within " + CHANGE_TIMEOUT.toSeconds() + " s: " + problem);
            }
            try {
                PeerClient.Response response = client.send(
                                route, "POST", CHANGE, HttpReplies.JSON, body, Duration.ofNanos(left))
                        .get(left, TimeUnit.NANOSECONDS);
                int status = response.status();
                String location = response.headers().get("location");
                if (status == 307 && location != null) {
                    String leader = URI.create(location).getRawAuthority();
                    if (leader != null && !leader.equals(node.id())) {
                        target = leader;
                        continue;
                    }
                }
                if (status != 503 && status != 307) {
                    String type = response.headers().getOrDefault("content-type", HttpReplies.TEXT);
                    return new Answer(status, type, response.body(), null);
                }
                problem = target + " answered " + status + ": "
                        + new String(response.body(), StandardCharsets.UTF_8).trim();
            } catch (ExecutionException | TimeoutException e) {
                problem = target + ": " + (e.getCause() != null ? e.getCause() : e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Answer.text(503, "interrupted");
            } catch (IllegalArgumentException e) {
                problem = "unreadable redirect from " + target;
            }
            target = first;
            if (!pause(deadline)) {
                return Answer.text(
                        503, "the change was not decided within " + CHANGE_TIMEOUT.toSeconds() + " s: " + problem);
            }
        }
    }

    private Answer await(CompletableFuture<Configuration> change, long deadline, String path) {
        try {
            Configuration config = change.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return members(List.copyOf(config.members()));
        } catch (TimeoutException e) {
            return Answer.text(503, "the change was not committed within " + CHANGE_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.text(503, "interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RaftNode.ChangeInProgressException) {
                return Answer.text(409, cause.getMessage());
            }
            if (cause instanceof IllegalArgumentException) {
                return Answer.text(400, cause.getMessage());
            }
            if (cause instanceof RaftNode.NotLeaderException notLeader) {
                if (notLeader.leader() != null) {
                    return new Answer(307, HttpReplies.TEXT, new byte[0], "http://" + notLeader.leader() + path);
                }
                return Answer.text(503, "no leader");
            }
            return Answer.text(503, cause.getMessage());
        }
    }

    private Answer members(List<String> members) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("members", members);
        try {
            return new Answer(200, HttpReplies.JSON, json.writeValueAsBytes(out), null);
        } catch (IOException e) {
            return Answer.text(500, "cannot encode the answer: " + e.getMessage());
        }
    }

    /** Waits before a retry; false once {@code deadline} would pass. */
    private static boolean pause(long deadline) {
        if (deadline - System.nanoTime() <= TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS)) {
            return false;
        }
        try {
            Thread.sleep(RETRY_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank()
                ? value.asText().trim()
                : null;
    }
}
