"""The demo node: trilateral members and real public series as aggregate reports."""
