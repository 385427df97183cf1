package io.clstr.lock;

import io.clstr.testkit.ReferenceTests;

/**
 * The challenge against its reference solution ({@link ReferenceTests}): every stage passes (in
 * the docker runtime too, where Docker answers), every bug of {@link Bank} is caught at its test,
 * and, on request, the earlier-stages check and the reliability loop.
 */
class ReferenceTest extends ReferenceTests {

    ReferenceTest() {
        super(Bank.REFERENCE, Bank.ROWS);
    }
}
