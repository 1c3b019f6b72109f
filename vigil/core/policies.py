"""Core policies (none yet belong to core itself; see accounts, duties and others)."""
