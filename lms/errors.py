"""User-facing errors: one line that names the file, line, column and field."""

from __future__ import annotations

from pathlib import Path


class LmsError(Exception):
    """An error a user can fix; the CLI prints it as one line and exits 1."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column
        self.field = field

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        field = f"{self.field}: " if self.field else ""
        text = f"{where}{field}{self.message}"
        return "\n".join(" ".join(line.split()) for line in text.splitlines())


class NotFoundError(LmsError):
    """A code or id that names nothing in the database."""
