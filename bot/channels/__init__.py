"""Channel adapters: each translates one provider's messages to and from the engine."""
