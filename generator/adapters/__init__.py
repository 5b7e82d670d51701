"""Adapters: one module per third-party library whose internals sdkgen touches or whose output it
corrects, so that every assumption about another project's behaviour has one address (and a test
under tests/adapters/ that names it when a pinned upgrade breaks it)."""
