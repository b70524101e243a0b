"""`python -m synthwatch` runs the command line."""

from synthwatch.cli.app import run

run()
