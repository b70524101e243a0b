"""Use cases: each one function or small class, each one transaction."""
