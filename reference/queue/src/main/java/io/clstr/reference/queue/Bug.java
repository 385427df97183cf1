package io.clstr.reference.queue;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The bugs this reference can switch on with {@code REFERENCE_BUG=<name>}: each a mistake a
 * learner could make at its stage, leaving every earlier stage passing. BUGS.md names the test
 * that catches each.
 */
enum Bug {
    // http-api
    NEWEST_FIRST("newest-first", "http-api", "receive walks the queue from its newest message, as a stack would"),
    RECEIVE_NOT_HIDING(
            "receive-not-hiding",
            "http-api",
            "receive hands out a receipt but leaves the message visible, so the next receive returns it again"),
    UNSAFE_IDS(
            "unsafe-ids",
            "http-api",
            "the request thread reads the queue's last id and sends last + 1 with the command, so two concurrent "
                    + "sends can get the same id and the second replaces the first"),
    UNKNOWN_RECEIPT_OK(
            "unknown-receipt-ok", "http-api", "a delete with a receipt that was never issued answers 200, not 404"),

    // visibility-timeout
    RECEIPT_IS_MESSAGE_ID(
            "receipt-is-message-id",
            "visibility-timeout",
            "the receipt handle is the message id, so the receipt of an expired delivery deletes the redelivered "
                    + "message"),
    EXPIRED_TO_BACK(
            "expired-to-back",
            "visibility-timeout",
            "a message whose visibility expires goes back to the end of its queue instead of its old place"),
    FIXED_VISIBILITY(
            "fixed-visibility",
            "visibility-timeout",
            "receive ignores ?visibility= and always hides messages for the default 5 s"),

    // crash-recovery
    DELETE_NOT_SYNCED(
            "delete-not-synced",
            "crash-recovery",
            "deletes are answered at once and written to the log by a background flush every two seconds, to save "
                    + "fsyncs"),
    RELATIVE_DEADLINES(
            "relative-deadlines",
            "crash-recovery",
            "the log keeps a delivery's visibility as a duration and replay counts it from the restart, so "
                    + "in-flight messages stay hidden too long after a crash"),
    IDS_REUSED(
            "ids-reused",
            "crash-recovery",
            "after a restart each queue's next id is one more than the largest id still in it, so ids of "
                    + "deleted messages are given again");

    private final String key;
    private final String stage;
    private final String description;

    Bug(String key, String stage, String description) {
        this.key = key;
        this.stage = stage;
        this.description = description;
    }

    String key() {
        return key;
    }

    String stage() {
        return stage;
    }

    String description() {
        return description;
    }

    /** The bug named {@code key}; throws with the list of bugs when there is none. */
    static Bug of(String key) {
        return Arrays.stream(values())
                .filter(b -> b.key.equals(key))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "REFERENCE_BUG=" + key + " is not a bug of this " + "reference; bugs are "
                                + Arrays.stream(values()).map(Bug::key).collect(Collectors.joining(", "))));
    }
}
