"""An upper version bound says that the code leans on a library's internals or its API of the
day: each one names why, and the installed versions stay within every bound."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
REQUIREMENT_LINE = re.compile(r'^\s*"([^"]+)",?\s*$')


def declared() -> list[str]:
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    return [*project["dependencies"],
            *(r for extra in project["optional-dependencies"].values() for r in extra)]


def test_every_upper_bound_says_why() -> None:
    lines = PYPROJECT.read_text().splitlines()
    unexplained = [match[1] for number, line in enumerate(lines)
                   if (match := REQUIREMENT_LINE.match(line)) and "<" in match[1]
                   and not lines[number - 1].lstrip().startswith("#")]
    assert unexplained == []


def test_the_installed_libraries_are_within_their_bounds() -> None:
    outside = []
    for text in declared():
        requirement = Requirement(text)
        installed = version(requirement.name)
        if not requirement.specifier.contains(installed, prereleases=True):
            outside.append(f"{requirement.name} {installed} (wants {requirement.specifier})")
    assert outside == []
