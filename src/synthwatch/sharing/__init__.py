"""Who may see what, correlation across members, exchange formats."""
