"""Emitters: one module (or sub-package) per artefact of a generated package."""
