"""Rules that involve more than one kind of agent, one module each."""
