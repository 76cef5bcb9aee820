"""``[html]`` and ``[markdown]`` GIFT texts as the plain text a course holds, and what could not be kept.

A question's texts are plain (bilingual) text, so markup becomes what plain text can say: paragraphs and line breaks,
a link as its text with the address after it, ``<pre>``/code blocks with their indentation, list items on their own
lines. What plain text cannot hold (images, tables' layout, media, bold and italics) is listed so that the import can
warn about it, naming the file, the line and the question. Markdown is first rendered to HTML by markdown-it-py (the
CommonMark parser Rich already brings), so both formats go through the same rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lms.catalog.gift.parser import GiftQuestion
from lms.catalog.gift.text import split_bilingual
from lms.i18n import _

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

BREAKS = {"br"}
BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "table", "hr"}
PLAIN = {"span", "a", "code", "tt", "kbd", "samp", "html", "body", "thead", "tbody", "tfoot", "td", "th", "dl", "dt"}
PLAIN |= {"dd", "section", "article", "header", "footer", "center", "nobr"}
FORMATTING = {"b", "strong", "i", "em", "u", "s", "strike", "del", "ins", "mark", "small", "big", "font", "sub", "sup"}
SKIPPED = {"script", "style", "head", "title", "noscript"}  # their content is no text for a trainee
MEDIA = {"img", "video", "audio", "iframe", "object", "embed", "svg", "math", "canvas", "map", "picture", "source"}
MEDIA |= {"form", "input", "button", "select", "textarea"}


@dataclass
class Converted:
    text: str
    lost: list[str] = field(default_factory=list)


class _PlainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[str, bool]] = []  # finished lines, and whether they are preformatted
        self.current, self.current_pre = "", False
        self.pre = self.skipping = 0
        self.links: list[str | None] = []
        self.link_text: list[str] = []
        self.lists: list[int | None] = []  # None: a bulleted list; a number: the next item of a numbered one
        self.lost: list[str] = []
        self.formatting: set[str] = set()
        self.cells = 0

    def newline(self) -> None:
        self.lines.append((self.current, self.current_pre))
        self.current, self.current_pre = "", False

    def write(self, text: str) -> None:
        if self.skipping:
            return
        for index, piece in enumerate(text.split("\n") if self.pre else [text]):
            if index:
                self.newline()
            self.current += piece
            self.current_pre = self.current_pre or bool(self.pre and piece)
        if self.links:
            self.link_text[-1] += text

    def lose(self, what: str) -> None:
        if what not in self.lost:
            self.lost.append(what)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in BREAKS:
            self.newline()
        elif tag in BLOCKS:
            self.newline()
            self.start_block(tag)
        elif tag in FORMATTING:
            self.formatting.add(tag)
        elif tag in MEDIA:
            self.embedded(tag, found)
        elif tag == "a":
            self.links.append(found.get("href") or None)
            self.link_text.append("")
        elif tag in ("td", "th"):
            self.cells += 1
            if self.cells > 1:
                self.write("  ")
        elif tag not in PLAIN:
            self.lose(_("the <{tag}> element").format(tag=tag))

    def start_block(self, tag: str) -> None:
        if tag == "pre":
            self.pre += 1
        elif tag in ("ul", "ol"):
            self.lists.append(1 if tag == "ol" else None)
        elif tag == "li":
            number = self.lists[-1] if self.lists else None
            self.write("• " if number is None else f"{number}. ")
            if number is not None:
                self.lists[-1] = number + 1
        elif tag == "tr":
            self.cells = 0
        elif tag == "table":
            self.lose(_("a table's layout (its rows are kept as lines)"))

    def embedded(self, tag: str, found: dict[str, str]) -> None:
        if tag == "img":
            alt = found.get("alt", "").strip()
            if alt:
                self.write(f"[{alt}]")
            self.lose(_("the image {source}").format(source=found.get("src") or alt or "?"))
        else:
            self.lose(_("the <{tag}> element").format(tag=tag))

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
            elif tag in ("ul", "ol") and self.lists:
                self.lists.pop()
            self.newline()
        elif tag == "a" and self.links:
            href, text = self.links.pop(), self.link_text.pop().strip()
            if href and href != text and not href.startswith("#"):
                self.write(f" ({href})")
            if href and "@@PLUGINFILE@@" in href:
                self.lose(_("the file {link} of the Moodle course").format(link=href))

    def handle_data(self, data: str) -> None:
        self.write(data if self.pre else _spaced(data))

    def text(self) -> str:
        self.newline()
        kept = [line.rstrip() if pre else " ".join(line.split()) for line, pre in self.lines]
        return "\n".join(line for line in kept if line.strip())


def _spaced(data: str) -> str:
    """Whitespace collapsed as a browser does: one space where the source had any, at the ends too."""
    inner = " ".join(data.split())
    return (" " if data[:1].isspace() else "") + inner + (" " if data[-1:].isspace() else "")


def html_text(source: str) -> Converted:
    """Plain text of an ``[html]`` text, and what it could not keep."""
    parser = _PlainText()
    parser.feed(source)
    parser.close()
    lost = list(parser.lost)
    if parser.formatting:
        lost.append(_("bold, italic or other formatting (shown as plain text)"))
    return Converted(parser.text(), lost)


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def markdown_text(source: str) -> Converted:
    """Plain text of a ``[markdown]`` text (rendered to HTML first), and what it could not keep."""
    return html_text(_markdown().render(source))


def course_text(source: str, text_format: str) -> Converted:
    """A GIFT text in its format as course text: ``html`` and ``markdown`` converted, ``moodle``/``plain`` kept."""
    if text_format == "html":
        return html_text(source)
    if text_format == "markdown":
        return markdown_text(source)
    return Converted(source)


def question_lost(question: GiftQuestion) -> list[str]:
    """What a question's ``[html]``/``[markdown]`` texts lose as course text, each thing once."""
    if question.text_format not in ("html", "markdown"):
        return []
    texts = [question.text, question.general_feedback, question.feedback_right, question.feedback_wrong]
    texts += [answer.text for answer in question.answers] + [answer.feedback for answer in question.answers]
    texts += [left for left, _right in question.pairs]
    lost: list[str] = []
    for raw in texts:
        for side in dict.fromkeys(split_bilingual(raw).values()) if raw.strip() else ():
            lost += [item for item in course_text(side, question.text_format).lost if item not in lost]
    return lost


def markup_warnings(questions: Sequence[GiftQuestion], specs: Sequence[dict[str, Any]], path: Path) -> list[str]:
    """One line per question that lost markup: file, line, question id and what was left out."""
    warnings = []
    for question, spec in zip(questions, specs, strict=True):
        lost = question_lost(question)
        if lost:
            what = _("question {question}: a course keeps plain text only; left out: {what}").format(
                question=spec["id"], what="; ".join(lost)
            )
            warnings.append(f"{path}:{question.line}: {what}")
    return warnings
