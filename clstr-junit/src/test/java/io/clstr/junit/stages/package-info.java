/** Small stage classes run by clstr's own tests through the JUnit Platform (not by Surefire directly). */
package io.clstr.junit.stages;
