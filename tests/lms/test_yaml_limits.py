"""Large files written out in full are not alias bombs: only what aliases add is limited."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.errors import LmsError
from lms.files.yamlsource import MAX_ALIAS_EXPANSION, load_yaml_file


def test_many_values_written_out_are_read(tmp_path: Path) -> None:
    count = MAX_ALIAS_EXPANSION + 50_000
    path = tmp_path / "big.yaml"
    path.write_text("values: [" + ", ".join(str(n % 10) for n in range(count)) + "]\n", encoding="utf-8")
    assert len(load_yaml_file(path).data["values"]) == count


def test_what_aliases_add_is_still_limited(tmp_path: Path) -> None:
    lines = ["a: &a [" + ", ".join(["x"] * 100) + "]"]
    for previous, name in zip("abc", "bcd", strict=True):  # 100 × 100 × 100 × 100 values from 400 written
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 100) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LmsError, match="alias bomb"):
        load_yaml_file(path)
