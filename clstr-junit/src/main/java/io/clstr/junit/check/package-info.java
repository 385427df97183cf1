/**
 * HTTP checks: send a request to selected nodes and assert on what they answer.
 *
 * <pre>{@code
 * import static io.clstr.junit.check.Select.*;
 * import static org.hamcrest.Matchers.*;
 *
 * checks.get(atLeastOne(), "/cluster/info").eventually(Duration.ofSeconds(3))
 *       .status(200).json("role", "leader")
 *       .hint("No leader after 3 s. A candidate needs votes from a majority (3 of 5).")
 *       .check();
 * }</pre>
 *
 * <p>{@link io.clstr.junit.internal.check.HttpChecks} makes checks, {@link io.clstr.junit.check.Select}
 * picks nodes, {@link io.clstr.junit.check.HttpCheck} holds the expectations and timing
 * (immutable; {@code check()} is the only terminal call) and a failure is an
 * {@link org.opentest4j.AssertionFailedError} shaped like this:
 * <pre>
 * GET /kv/missing on n1 → expected status 404 and body "key not found"
 *   n1 (http://127.0.0.1:20001): 200 "value" — failed: status, body
 * Hint: A GET for a key that was never written must return 404 with "key not found".
 * </pre>
 * First line: method, path (and request body), the nodes requested, every expectation and,
 * for several nodes, how many met them. Then one line per node: name, URI (and where a
 * followed redirect led), status and body (quoted, control characters escaped, cut at 200
 * characters) or the error, and what failed ({@code — ok} for a node that met everything
 * when several were asked). Then, for {@code eventually}, "Still failing after 3.0 s (31
 * attempts); the last attempt is shown." or, for {@code consistently}, "Failed after 1.2 s of
 * the 3.0 s it must hold (attempt 13)." Last, {@code Hint: …}.
 *
 * <h2>Transport: Apache HttpClient 4 with blocking sockets, under our own rules</h2>
 * {@link io.clstr.junit.internal.check.Http} runs each exchange on one thread with blocking
 * sockets (Apache HttpClient 4, which REST Assured also uses): HttpClient's pooled connection
 * manager and HttpCore's request executor, without HttpClient's execution chain, so that the rules
 * below are this package's, not the library's: no automatic retries, redirects, cookies,
 * authentication or compression, and request paths sent as written (no normalisation).
 * <ul>
 * <li>Timeouts the kernel keeps. The connect phase and each wait for bytes of an answer are
 *     timed by the socket, so an answer that reached the socket in time counts as in time,
 *     however late a loaded machine runs the thread that reads it. java.net.http, used before,
 *     judged its deadlines on timer threads: on a 2-core machine with two busy loops beside it,
 *     1 cold run in 10 of kv-store's 100 concurrent PUTs reported "no answer within 500 ms" for
 *     answers the server had sent 250 ms before the deadline.</li>
 * <li>Exact paths. REST Assured treats {@code {…}} in a path as a template, and its URL
 *     encoding is all or nothing; here the URI's raw path and query go out as they are (only
 *     non-ASCII characters go out percent-encoded as UTF-8).</li>
 * <li>Fan-out. {@code sendAsync} runs each request on a thread of its own, so a check sends to
 *     every selected node at once; {@code send} runs on the caller's thread.</li>
 * <li>Retries and charsets are ours to decide: which failures are retried is spelled out
 *     below, and bodies are UTF-8 both ways whatever the {@code Content-Type} says.</li>
 * </ul>
 *
 * <h2>HTTP rules</h2>
 * <ul>
 * <li>Redirects are returned as they are unless a check asks {@code followRedirects()}. Then a
 *     {@code Location}'s host and port must be some node's {@code ADDR}, and the request goes to
 *     that node's URI (in docker the two differ); a {@code Location} without a host stays on the
 *     same node. Anything else, an invalid {@code Location} or more than 5 redirects gives an
 *     error answer naming it. 303 turns the request into a GET without body; other redirects
 *     keep method and body.</li>
 * <li>Every exchange has a timeout: the request's, else the check's {@code timeout(..)}, else the
 *     stage's ({@link io.clstr.junit.internal.check.CheckContext#requestTimeout()}). Each redirect hop
 *     and each retry gets the full timeout.</li>
 * <li>Stale connections: when a node restarts, a pooled keep-alive connection to its old
 *     process can fail before any byte of an answer. Such a request is sent once more on a new
 *     connection if its method is idempotent (RFC 9110: GET, HEAD, PUT, DELETE, OPTIONS,
 *     TRACE). POST and PATCH are never sent twice (the node may have processed them), nor is
 *     anything that timed out or was refused. At most two attempts per exchange in all.</li>
 * <li>No answer is not an exception: a timeout, refused or dropped connection, or a redirect
 *     that may not be followed becomes a {@link io.clstr.junit.check.Response} with status -1
 *     and an error that says which: "connection not accepted within 400 ms" (the connect phase
 *     has four fifths of the timeout; a server whose accept queue is full never accepts, and the
 *     request was certainly not sent), "no answer within 500 ms" (sent, and no byte of an answer
 *     came for that long; an answer still trickling in at twice the timeout is cut off and
 *     reported the same way),
 *     "connection refused", which fails the check's expectations. A failure with a connection not
 *     accepted says what a full accept queue means; {@code concurrently}'s summary counts answers
 *     by status class and each kind of no answer.</li>
 * <li>The connection pool keeps as many idle connections per node as were in flight at once
 *     (bounded by the checks' own parallelism, 50 by default in {@code concurrently}); one idle
 *     for more than 200 ms is checked for a close from the node before it is used again.</li>
 * </ul>
 *
 * <h2>Polling: a nanoTime loop, not Awaitility</h2>
 * {@code eventually} and {@code consistently} share one loop on {@link System#nanoTime()}
 * deadlines, on the caller's thread, 100 ms between attempts by default. Awaitility's
 * {@code during} restarts its window after a failed poll, so it cannot express
 * {@code consistently}; and for {@code eventually} its timeout error would have to be unpicked
 * to report the last attempt, which the loop keeps at hand. An interrupt while polling or
 * waiting restores the thread's flag and ends the check with a
 * {@link java.util.concurrent.CancellationException}.
 *
 * <p>Expectations use Hamcrest matchers; JSON is read with Jackson.
 */
package io.clstr.junit.check;
