"""Output: formatting the emitted files (ruff), writing packages atomically, and what a package records (manifest, no-op fast path)."""
