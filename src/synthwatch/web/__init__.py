"""The dashboard; arrives with the node."""
