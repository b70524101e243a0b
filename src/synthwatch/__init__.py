"""synthwatch: federated early warning and intelligence sharing against synthetic drugs."""

__version__ = "0.1.0"
