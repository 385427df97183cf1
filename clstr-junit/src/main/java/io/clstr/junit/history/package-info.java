/**
 * Recorded client histories (invoke/complete with ok, fail, info), recording clients, checks of
 * whole histories ({@link io.clstr.junit.history.HistoryCheck}) and HTML timelines.
 */
package io.clstr.junit.history;
