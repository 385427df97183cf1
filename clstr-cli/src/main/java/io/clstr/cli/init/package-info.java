/** The files {@code clstr init} writes into a new challenge folder, per language. */
package io.clstr.cli.init;
