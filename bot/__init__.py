"""The conversation engine (pure) and the channel adapters that feed it."""
