"""Output: formatting the emitted files (ruff), writing packages atomically, and what a package
records (its manifest, and the no-op fast path kept outside the tree)."""
