"""The synthwatch command line (Typer)."""
