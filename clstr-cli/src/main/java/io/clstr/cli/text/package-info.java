/** Terminal output: colour when it is wanted, Markdown guides and run logs rendered as text. */
package io.clstr.cli.text;
