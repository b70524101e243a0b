"""The HTTP API (FastAPI); arrives with the node."""
