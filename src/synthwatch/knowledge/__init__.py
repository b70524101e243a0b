"""Bundled reference data (control lists, class rules) and their loaders."""
