"""The production images hold what the code imports: no docker daemon runs in CI, so the
Dockerfiles are read as text. An image without a package that pyproject.toml names fails to
install; one without the redactor's word lists hides fewer names than the tests measured."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILES = ["Dockerfile.rasa", "Dockerfile.web"]


def last_stage(dockerfile: str) -> str:
    """The text of the image's last stage (the one that runs)."""
    text = (ROOT / "deploy" / dockerfile).read_text(encoding="utf-8")
    return re.split(r"^FROM ", text, flags=re.MULTILINE)[-1]


def copied(text: str) -> set[str]:
    return {m.group(1) for m in re.finditer(r"^COPY (?!--from)(\S+) ", text, re.MULTILINE)}


@pytest.mark.parametrize("dockerfile", DOCKERFILES)
def test_every_package_is_copied_before_it_is_installed(dockerfile: str) -> None:
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["packages"]
    text = last_stage(dockerfile)
    before_install = text[: text.index("pip install")]
    assert set(packages) <= copied(before_install), dockerfile


@pytest.mark.parametrize("dockerfile", DOCKERFILES)
def test_the_redactor_has_its_name_lists_and_word_list(dockerfile: str) -> None:
    text = last_stage(dockerfile)
    assert re.search(r"pip install --no-deps -c requirements/\w+\.lock deduce", text)
    assert "build/dutch_words.sqlite" in text
