"""README emitter: the package's `README.md`, from the same client view as `client.py` (its
examples are calls of the generated client; `generator.emit.examples` decides them)."""

from __future__ import annotations

from generator.emit import EmitOptions, Files
from generator.emit.client import client_view
from generator.emit.templates import html_header, render
from generator.ir import Api


def emit(api: Api, options: EmitOptions) -> Files:
    """`README.md` (an HTML comment carries the header)."""
    from generator.emit.webhooks import webhooks_view

    view, webhooks = client_view(api), webhooks_view(api)
    return {
        "README.md": render(
            "package/README.md.jinja",
            header=html_header(api),
            view=view,
            webhooks=webhooks,
            skipped=api.skipped_operations,
        )
    }
