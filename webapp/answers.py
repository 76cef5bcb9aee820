"""A question's answer as a plain HTML form sends it, turned into the response its keyless view expects."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from lms.questions.views import QuestionView


def response_from_form(view: QuestionView, form: FormData) -> Any:
    """The response for ``view`` from the form: option ids, text, or tokens by position (matching, ordering)."""
    body = view.body
    if body.input in ("choice", "truefalse"):
        value = form.get("answer")
        ids = {option.id for option in body.options}
        return value if isinstance(value, str) and value in ids else None
    if body.input == "choices":
        ids = {option.id for option in body.options}
        picked = [value for value in form.getlist("answer") if isinstance(value, str) and value in ids]
        return sorted(set(picked)) or None
    if body.input in ("number", "text", "essay"):
        value = form.get("answer")
        return value[:5000] if isinstance(value, str) and value.strip() else None
    if body.input == "match":
        rights = {option.id for option in body.rights}
        chosen = [form.get(f"match-{left.id}") for left in body.lefts]
        tokens = [value if isinstance(value, str) and value in rights else None for value in chosen]
        return tokens if any(tokens) else None
    if body.input == "order":
        return _order(view, form)
    return None


def _order(view: QuestionView, form: FormData) -> list[str] | None:
    """Items ranked by the position chosen beside each; incomplete or repeated positions keep the order shown."""
    ranked: list[tuple[int, int, str]] = []
    for shown, option in enumerate(view.body.options):
        raw = form.get(f"order-{option.id}")
        position = int(raw) if isinstance(raw, str) and raw.isdigit() else 0
        ranked.append((position or 10_000, shown, option.id))
    if all(position == 10_000 for position, _shown, _id in ranked):
        return None
    return [token for _position, _shown, token in sorted(ranked)]


def answered(view: QuestionView) -> bool:
    response = view.response
    if isinstance(response, list):
        return any(item is not None for item in response)
    return response is not None and str(response).strip() != ""


def order_positions(view: QuestionView) -> dict[str, int]:
    """The position (1-based) of each item in the trainee's saved order, for the selects."""
    return {token: index for index, token in enumerate(view.response or [], start=1) if isinstance(token, str)}
