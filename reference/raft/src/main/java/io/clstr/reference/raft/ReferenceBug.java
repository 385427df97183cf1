package io.clstr.reference.raft;

/**
 * A bug a reference can switch on with {@code REFERENCE_BUG=<key>}: a mistake a learner could make
 * at one stage of the challenge, named in the challenge's bug bank. Each reference lists its own as
 * an enum.
 */
public interface ReferenceBug {

    /** The name {@code REFERENCE_BUG} takes, such as {@code cas-at-request-time}. */
    String key();

    /** The stage that must catch it. */
    String stage();

    /** What the bug does, as the node logs it at start. */
    String description();

    /** The switch in the shared Raft core this bug also needs, or null. */
    RaftBug raft();
}
