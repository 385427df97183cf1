/** The {@code clstr} command: one picocli command class per subcommand under {@link io.clstr.cli.ClstrCommand}. */
package io.clstr.cli;
