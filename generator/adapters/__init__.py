"""Adapters: one module per third-party library whose internals we touch or whose output we rewrite."""
