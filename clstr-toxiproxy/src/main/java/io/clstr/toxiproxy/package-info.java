/** An embedded server that speaks the Toxiproxy HTTP API and injects network faults between a cluster's nodes. */
package io.clstr.toxiproxy;
