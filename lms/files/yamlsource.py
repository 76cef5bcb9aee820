"""Safe YAML reading that remembers where every value came from.

PyYAML's loaders accept duplicate keys silently and expand aliases without bound, so course and project files
are composed into nodes here, checked, and only then turned into plain Python values. Every value keeps its
line and column so that schema errors can name them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from lms.errors import LmsError
from lms.files.limits import COURSE_FILES
from lms.files.textfiles import decode_utf8, read_bytes
from lms.i18n import _

MAX_ALIAS_EXPANSION = 200_000  # values that aliases may add on top of those written out
MAX_DEPTH = 100  # course and projects files nest about 6 deep; PyYAML's composer recurses per level
MAX_WHOLE_NUMBER = 2**31 - 1  # the largest an INTEGER column holds on PostgreSQL
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_INT_TAG = "tag:yaml.org,2002:int"
_SEQ_TAG = "tag:yaml.org,2002:seq"

Location = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """Plain data from one YAML file with the (line, column) of every key and item, 1-based."""

    path: Path
    data: Any
    positions: dict[Location, tuple[int, int]] = field(default_factory=dict)

    def locate(self, loc: Sequence[str | int]) -> tuple[Location, tuple[int, int]]:
        """The deepest known prefix of ``loc`` and its position (union tags in pydantic paths are skipped)."""
        current: Location = ()
        for item in loc:
            candidate = (*current, item)
            if candidate in self.positions:
                current = candidate
        return current, self.positions.get(current, (1, 1))

    def error(self, loc: Sequence[str | int], message: str) -> LmsError:
        """An error pointing at ``loc``; a missing field is named even though it has no line of its own."""
        found, (line, column) = self.locate(loc)
        shown = list(found)
        if loc and loc[-1] not in found and isinstance(loc[-1], str) and len(found) < len(loc):
            shown.append(loc[-1])
        return LmsError(message, file=self.path, line=line, column=column, field=format_location(shown))

    def validation_error(self, error: ValidationError) -> LmsError:
        """Turn the first pydantic error into a one-line error naming file, line and field."""
        first = error.errors(include_url=False)[0]
        return self.error(first["loc"], describe_pydantic_error(first))


def format_location(loc: Iterable[str | int]) -> str:
    text = ""
    for item in loc:
        text += f"[{item}]" if isinstance(item, int) else (f".{item}" if text else str(item))
    return " ".join(text.split())  # a key may hold a line break; errors are one line


def _pydantic_messages() -> dict[str, str]:
    """Our words for pydantic's common errors (its own messages are English only); ``{…}`` come from its context."""
    return {
        "extra_forbidden": _("unknown field"),
        "missing": _("required field is missing"),
        "greater_than": _("must be greater than {gt}"),
        "greater_than_equal": _("must be at least {ge}"),
        "less_than": _("must be less than {lt}"),
        "less_than_equal": _("must be at most {le}"),
        "too_short": _("needs at least {min_length} item(s)"),
        "too_long": _("allows at most {max_length} item(s)"),
        "string_too_short": _("needs at least {min_length} character(s)"),
        "string_too_long": _("allows at most {max_length} characters"),
        "string_pattern_mismatch": _("has characters that are not allowed here"),
        "literal_error": _("must be one of {expected}"),
        "enum": _("must be one of {expected}"),
        "int_parsing": _("must be a whole number"),
        "int_type": _("must be a whole number"),
        "int_from_float": _("must be a whole number"),
        "float_parsing": _("must be a number"),
        "float_type": _("must be a number"),
        "finite_number": _("must be a finite number"),
        "bool_parsing": _("must be true or false"),
        "bool_type": _("must be true or false"),
        "string_type": _("must be text"),
        "list_type": _("must be a list"),
        "dict_type": _("must be a mapping of names to values"),
        "model_type": _("must be a mapping of names to values"),
        "date_parsing": _("must be a date (YYYY-MM-DD)"),
        "date_from_datetime_parsing": _("must be a date (YYYY-MM-DD)"),
        "date_type": _("must be a date (YYYY-MM-DD)"),
    }


def describe_pydantic_error(detail: Any) -> str:
    template = _pydantic_messages().get(detail["type"])
    if template is not None:
        try:
            return template.format(**detail.get("ctx", {}))
        except (KeyError, IndexError):
            pass  # a context this pydantic version names differently: its own message below
    message = str(detail["msg"])
    return message.removeprefix("Value error, ")


# libyaml's composer when PyYAML was built with it (about ten times faster on a 10,000-question course); the nodes,
# marks and errors are the same as the pure-Python one's.
COMPOSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml_file(path: Path) -> YamlDocument:
    """Read one YAML file safely. Raises LmsError naming file, line and column for any problem."""
    raw = read_bytes(path, limit=COURSE_FILES)
    text = decode_utf8(raw, path)
    if not text.strip():
        raise LmsError(_("the file is empty"), file=path, line=1)
    loader: Any = None
    try:
        loader = COMPOSER(text)  # refuses control characters already
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "syntax error"
        if "nesting depth" in problem:  # libyaml stops deep nesting itself (1,000 levels); say it as we do
            raise LmsError(_("values are nested more than {limit} deep").format(limit=MAX_DEPTH), file=path) from None
        raise LmsError(
            _("YAML syntax error: {problem}").format(problem=problem),
            file=path,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.reader.ReaderError as error:
        raise LmsError(
            _("character U+{code:04X} is not allowed in YAML").format(code=error.character),
            file=path,
            line=text[: error.position].count("\n") + 1,
        ) from None
    except yaml.YAMLError as error:
        problem = " ".join(str(error).split())
        raise LmsError(_("YAML syntax error: {problem}").format(problem=problem), file=path) from None
    except RecursionError:
        raise LmsError(_("values are nested more than {limit} deep").format(limit=MAX_DEPTH), file=path) from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        raise LmsError(_("the file is empty"), file=path, line=1)
    _check_expansion(node, path)
    document = YamlDocument(path=path, data=None)
    document.data = _build(node, (), document, yaml.SafeLoader(""))
    return document


def _check_expansion(root: yaml.Node, path: Path) -> None:
    """Refuse alias bombs, aliases inside themselves and deep nesting: count the nodes the document would expand
    to, in time linear in its size. Values written out are never refused, however many: a large course is not a
    bomb; only what aliases add beyond the values written is limited."""
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    open_nodes: set[int] = set()  # the nodes whose children are being counted: the path from the root
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        if not children_done and id(node) in open_nodes:
            mark = node.start_mark
            raise LmsError(
                _("an alias refers to a value that contains it; refusing"),
                file=path,
                line=mark.line + 1,
                column=mark.column + 1,
            )
        children = _children(node)
        if children_done or not children:
            open_nodes.discard(id(node))
            total = 1 + sum(sizes.get(id(child), 0) for child in children)
            depths[id(node)] = 1 + max((depths.get(id(child), 0) for child in children), default=0)
            if depths[id(node)] > MAX_DEPTH:
                mark = node.start_mark
                raise LmsError(
                    _("values are nested more than {limit} deep").format(limit=MAX_DEPTH),
                    file=path,
                    line=mark.line + 1,
                    column=mark.column + 1,
                )
            if total > len(sizes) + 1 + MAX_ALIAS_EXPANSION:  # only aliases make a value count twice
                mark = node.start_mark
                raise LmsError(
                    _("aliases expand to more than {limit} values; refusing (alias bomb?)").format(
                        limit=MAX_ALIAS_EXPANSION
                    ),
                    file=path,
                    line=mark.line + 1,
                    column=mark.column + 1,
                )
            sizes[id(node)] = total
            continue
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _refuse_tag(node: yaml.Node, document: YamlDocument) -> LmsError:
    line, column = _position(node)
    return LmsError(
        _("tag {tag} is not allowed (only plain YAML data)").format(tag=node.tag),
        file=document.path,
        line=line,
        column=column,
    )


def _build(node: yaml.Node, loc: Location, document: YamlDocument, constructor: yaml.SafeLoader) -> Any:
    document.positions.setdefault(loc, _position(node))
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP_TAG:
            raise _refuse_tag(node, document)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line, column = _position(key_node)
                raise LmsError(_("keys must be plain values"), file=document.path, line=line, column=column)
            if key_node.tag not in _SCALAR_TAGS:
                raise _refuse_tag(key_node, document)
            key = constructor.construct_object(key_node)
            if key in result:
                line, column = _position(key_node)
                raise LmsError(
                    _("duplicate key {key!r} (first at line {first})").format(
                        key=key, first=document.positions[(*loc, key)][0]
                    ),
                    file=document.path,
                    line=line,
                    column=column,
                    field=format_location((*loc, key)),
                )
            document.positions[(*loc, key)] = _position(key_node)
            result[key] = _build(value_node, (*loc, key), document, constructor)
        return result
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ_TAG:
            raise _refuse_tag(node, document)
        return [_build(item, (*loc, index), document, constructor) for index, item in enumerate(node.value)]
    if node.tag not in _SCALAR_TAGS:
        raise _refuse_tag(node, document)
    if node.tag == _INT_TAG and len(node.value) > 40:
        raise _too_large(node, document)  # Python's own refusal of 4,300 digits talks about itself
    try:
        value = constructor.construct_object(node)
    except (yaml.YAMLError, ValueError) as error:
        line, column = _position(node)
        problem = (str(error).splitlines() or [error.__class__.__name__])[0]
        raise LmsError(problem, file=document.path, line=line, column=column) from None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_WHOLE_NUMBER:
        raise _too_large(node, document)
    if isinstance(value, float) and not math.isfinite(value):  # .inf, .nan, 1e999: no file means them
        line, column = _position(node)
        message = _("{value} is not a finite number").format(value=str(node.value)[:20])
        raise LmsError(message, file=document.path, line=line, column=column)
    return value


def _too_large(node: yaml.Node, document: YamlDocument) -> LmsError:
    line, column = _position(node)
    text = str(node.value)
    shown = text if len(text) <= 20 else text[:20] + "…"
    return LmsError(
        _("{value} is too large a whole number (at most {limit})").format(value=shown, limit=MAX_WHOLE_NUMBER),
        file=document.path,
        line=line,
        column=column,
    )
