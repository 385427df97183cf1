package io.clstr.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clstr.junit.Challenge;
import org.junit.jupiter.api.Test;

/**
 * The lock challenge has no stages yet. A challenge with no stages could never fail, so it must
 * never run and pass: it is registered (clstr list shows it) and says it is not available, which
 * the CLI and the mvn test guard turn into an error (clstr-cli's UnavailableChallengeTest).
 */
class LockChallengeTest {

    @Test
    void registeredButNotAvailable() {
        Challenge lock = Challenge.find("lock").orElseThrow(() -> new AssertionError("lock is not registered"));
        assertInstanceOf(LockChallenge.class, lock);
        assertTrue(lock.stages().isEmpty());
        assertFalse(lock.available());
        assertTrue(lock.notAvailable()
                .getMessage()
                .startsWith("the lock challenge is not available yet: this version of clstr has no stages for it"));
        assertEquals("Lock Service", lock.name());
    }
}
