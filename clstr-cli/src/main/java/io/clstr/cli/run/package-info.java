/** Running stages: choosing the runtime, the build command, the JUnit Platform Launcher and its report. */
package io.clstr.cli.run;
