"""The runtime every generated package carries, kept here as real Python modules.

`errors.py` is emitted as `<package>/errors.py` and the `_runtime/` sub-package as
`<package>/_runtime/`, each file as it is plus the generated header
(`generator.emit.runtime`). The layout here is the layout there, so the relative imports
work in both places, and ruff, mypy --strict and tests/runtime/ check these modules
directly instead of through a generated copy.

This file itself is not emitted (the package's `__init__.py` is generated). Nothing under
this folder may import the generator: a package needs only the standard library, httpx
and pydantic at run time.
"""
