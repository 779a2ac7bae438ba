"""Sub-commands of the ecosim command line."""
