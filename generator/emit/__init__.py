"""Emitters: one module per emitted artefact of a package, each deciding its file from the IR."""
