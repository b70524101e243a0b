"""Chemistry: identify, normalise and classify substances against the knowledge base."""
