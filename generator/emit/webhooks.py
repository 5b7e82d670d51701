"""Webhooks emitter: the spec's `webhooks` -> `webhooks.py`, one `parse_<name>(body)` each.

Decides what each function is handed (the payload's model and validator, JSON or a form)
and its docstring; the module's shape is `templates/package/webhooks.py.jinja` and the work
is the runtime's `parse_webhook`. A spec without webhooks gets no module.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from generator.emit import EmitOptions, Files
from generator.emit.templates import header, render
from generator.ir import Api, Webhook


@dataclass(frozen=True, slots=True)
class WebhookView:
    name: str  # as in the spec
    function: str  # parse_<python_name>
    model: str  # `_models.X`, or "None" when the payload has no schema
    returns: str  # the annotation of what the function returns
    validator: str  # a callable: data -> issues
    form: bool  # a urlencoded form rather than JSON
    doc: str  # the docstring (without quotes)


@dataclass(frozen=True, slots=True)
class WebhooksView:
    package: str
    title: str
    webhooks: tuple[WebhookView, ...]
    uses_models: bool
    uses_validators: bool


def emit(api: Api, options: EmitOptions) -> Files:
    """`webhooks.py`; nothing for a spec without webhooks."""
    view = webhooks_view(api)
    if view is None:
        return {}
    return {"webhooks.py": render("package/webhooks.py.jinja", header=header(api), view=view)}


def webhooks_view(api: Api) -> WebhooksView | None:
    """Every decision about `webhooks.py`; None for a spec without webhooks."""
    if not api.webhooks:
        return None
    views = tuple(sorted((_webhook_view(api, webhook) for webhook in api.webhooks), key=lambda view: view.function))
    return WebhooksView(
        package=api.package,
        title=api.title,
        webhooks=views,
        uses_models=any(view.model != "None" for view in views),
        uses_validators=any(view.validator.startswith("_validators.") for view in views),
    )


def _webhook_view(api: Api, webhook: Webhook) -> WebhookView:
    body = webhook.body
    model, returns, validator = "None", "Any", "_runtime.accept_any"
    if body is not None and body.schema_name is not None:
        schema = api.schema(body.schema_name)
        model = "_models." + schema.class_name
        # An enum schema's class takes unlisted values too: those come back as they are.
        returns = "Any" if isinstance(schema.body, dict) and "enum" in schema.body else model
        validator = f"_validators.validate_{schema.python_name}"
    form = body is not None and body.kind == "form"
    lines = [(webhook.summary or f"The {webhook.name} webhook").strip().rstrip(".") + "."]
    if webhook.description:
        lines += ["", *webhook.description.strip().splitlines()]
    what = f"`{model.removeprefix('_models.')}`" if model != "None" else "plain JSON"
    media = "a urlencoded form" if form else "JSON"
    usage = (
        f"The API sends it as {webhook.method.upper()} with {media}. Give the request body as received (bytes "
        f"or text) or decoded (a mapping); returns it as {what}. WebhookValidationError lists every issue "
        "(with its pointer) when it breaks the spec; members and enum values the spec does not list are kept, "
        "with a warning (`strict=True` refuses them)."
    )
    lines += ["", *textwrap.wrap(usage, 100)]
    doc = "\n".join(line.rstrip() for line in lines).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return WebhookView(webhook.name, f"parse_{webhook.python_name}", model, returns, validator, form, doc)
