package io.clstr.junit.check;

import io.clstr.junit.internal.check.CheckContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.hamcrest.Matcher;
import org.opentest4j.AssertionFailedError;

/**
 * An HTTP check: a request, the nodes it goes to, what their answers must show, and when.
 * Nothing is sent until {@link #check()}.
 *
 * <p>Immutable: every option returns a new check, so a configured check can be kept in a
 * field and reused. Expectations add up; every one must hold.
 */
public final class HttpCheck {

    private final CheckContext ctx;
    private final Selector selector;
    private final Request request;
    private final List<Expectation> expectations;
    private final List<String> hint;
    private final Timing timing;
    private final Duration pollInterval;

    /** Internal: checks are made by {@link io.clstr.junit.Cluster}'s methods ({@code cluster.get(...)}). */
    public HttpCheck(CheckContext ctx, Selector selector, Request request) {
        this(ctx, selector, request, List.of(), List.of(), Timing.IMMEDIATE, null);
    }

    private HttpCheck(
            CheckContext ctx,
            Selector selector,
            Request request,
            List<Expectation> expectations,
            List<String> hint,
            Timing timing,
            Duration pollInterval) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.selector = Objects.requireNonNull(selector, "selector");
        this.request = Objects.requireNonNull(request, "request");
        this.expectations = expectations;
        this.hint = hint;
        this.timing = timing;
        this.pollInterval = pollInterval;
    }

    /** The status must be this. */
    @CheckReturnValue
    public HttpCheck status(int status) {
        return expect(Expectation.status(status));
    }

    /** The status must match, e.g. {@code status(anyOf(is(200), is(307)))}. */
    @CheckReturnValue
    public HttpCheck status(Matcher<? super Integer> matcher) {
        return expect(Expectation.status(matcher));
    }

    /** The header (name case-insensitive; its first value) must be exactly this. */
    @CheckReturnValue
    public HttpCheck header(String name, String value) {
        return expect(Expectation.header(name, value));
    }

    /** The header's first value (null when absent) must match. */
    @CheckReturnValue
    public HttpCheck header(String name, Matcher<? super String> matcher) {
        return expect(Expectation.header(name, matcher));
    }

    /** The body must be exactly this; one trailing "\n" or "\r\n" on the answer is ignored. */
    @CheckReturnValue
    public HttpCheck body(String body) {
        return expect(Expectation.body(body));
    }

    /** The whole body must match this regex; one trailing newline on the answer is ignored. */
    @CheckReturnValue
    public HttpCheck bodyMatches(String regex) {
        return expect(Expectation.bodyMatches(regex));
    }

    /** The body must be one of these; one trailing newline on the answer is ignored. */
    @CheckReturnValue
    public HttpCheck bodyOneOf(Collection<String> bodies) {
        return expect(Expectation.bodyOneOf(bodies));
    }

    /**
     * The JSON value at {@code path} ({@code "role"}, {@code "commit-index"}, {@code "entries[0].term"})
     * must equal {@code expected}. Numbers compare by value (2, 2L and 2.0 are equal); a missing
     * field reads as null; a body that is not JSON fails.
     */
    @CheckReturnValue
    public HttpCheck json(String path, Object expected) {
        return expect(Expectation.json(path, expected));
    }

    /**
     * The JSON value at {@code path} must match. It is given to the matcher as plain Java:
     * integers as Integer (Long when too big for an int), other numbers as Double, arrays as
     * List, objects as Map, null when missing. So write {@code greaterThan(0)}, not
     * {@code greaterThan(0L)}, for a term, and {@code closeTo(2.0, 0.1)} only for floats.
     */
    @CheckReturnValue
    public HttpCheck json(String path, Matcher<?> matcher) {
        return expect(Expectation.json(path, matcher));
    }

    /**
     * What the learner should change when this check fails, printed last: a diagnosis line
     * ("No leader after 3 s."), then one line per likely cause ("A candidate needs votes from a
     * majority (3 of 5)."). The CLI wraps each line to the terminal's width.
     */
    @CheckReturnValue
    public HttpCheck hint(String diagnosis, String... causes) {
        List<String> lines = new ArrayList<>();
        lines.add(diagnosis);
        lines.addAll(Arrays.asList(causes));
        return new HttpCheck(
                ctx,
                selector,
                request,
                expectations,
                FailureMessage.hintLines(lines.toArray(String[]::new)),
                timing,
                pollInterval);
    }

    /** Retry until the expectations hold, for at most {@code within}; fails with the last attempt. */
    @CheckReturnValue
    public HttpCheck eventually(Duration within) {
        return with(new Timing(Timing.Mode.EVENTUALLY, within));
    }

    /**
     * The expectations must hold on every attempt for {@code duration}, up to an attempt made once
     * it is over; fails at the first attempt that does not pass.
     */
    @CheckReturnValue
    public HttpCheck consistently(Duration duration) {
        return with(new Timing(Timing.Mode.CONSISTENTLY, duration));
    }

    /** Time between attempts of eventually and consistently (default: the context's, 100 ms). */
    @CheckReturnValue
    public HttpCheck pollInterval(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("poll interval must not be negative, was " + interval);
        }
        return new HttpCheck(ctx, selector, request, expectations, hint, timing, interval);
    }

    /** Per-request timeout for this check (default: the stage's). */
    @CheckReturnValue
    public HttpCheck timeout(Duration timeout) {
        return with(request.withTimeout(timeout));
    }

    /** Follow redirects, only to a node's ADDR (see {@link Request#withFollowRedirects(boolean)}). */
    @CheckReturnValue
    public HttpCheck followRedirects() {
        return with(request.withFollowRedirects(true));
    }

    /** Send this header with the request. */
    @CheckReturnValue
    public HttpCheck withHeader(String name, String value) {
        return with(request.withHeader(name, value));
    }

    /**
     * Sends the request and judges the answers; the only terminal call.
     *
     * @throws AssertionFailedError when the expectations do not hold, with every node's answer and the hint
     */
    public CheckResult check() {
        Request sent = request.timeout() == null ? request.withTimeout(ctx.requestTimeout()) : request;
        Duration interval = pollInterval != null ? pollInterval : ctx.pollInterval();
        Timing.Outcome outcome = timing.run(
                () -> attempt(sent),
                interval,
                () -> FailureMessage.requestLine(request) + " on " + selector.describeInWords() + " passes");
        if (!outcome.attempt().passed()) {
            throw FailureMessage.error(sent, selector, expectations, outcome, hint);
        }
        return new CheckResult(outcome.attempt(), outcome.attempts());
    }

    /** The request this check sends. */
    public Request request() {
        return request;
    }

    public Selector selector() {
        return selector;
    }

    @Override
    public String toString() {
        return request + " on " + selector;
    }

    private Attempt attempt(Request sent) {
        List<Response> responses = ctx.http().sendAll(selector.targets(ctx.nodes()), sent);
        return Attempt.judge(selector, expectations, responses);
    }

    private HttpCheck expect(Expectation expectation) {
        List<Expectation> more = new ArrayList<>(expectations);
        more.add(expectation);
        return new HttpCheck(ctx, selector, request, List.copyOf(more), hint, timing, pollInterval);
    }

    private HttpCheck with(Timing newTiming) {
        return new HttpCheck(ctx, selector, request, expectations, hint, newTiming, pollInterval);
    }

    private HttpCheck with(Request newRequest) {
        return new HttpCheck(ctx, selector, newRequest, expectations, hint, timing, pollInterval);
    }
}
