"""The paper trail: everything the repository cites is in the repository.

A reader has the repository, not the machine it was written on: no file may point to a folder
outside it or to a design page it does not hold, and the source document is cited by its title
and slide, never by a line of some text file.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from helpers import ROOT

# Spelled in pieces so that this file does not contain what it looks for.
FORBIDDEN = (
    "source" + " line",  # a line of the deck's text file: cite the slide
    "/" + "work/",  # a folder of the machine the project was written on
    "../" + "shared",  # the same, relative
    "design" + ".md",  # a design page that is not in the repository
)
SKIPPED_DIRS = {"runs", "build", "dist", "__pycache__", "mutants"}
SLIDE = re.compile(r"\b[Ss]lides? (\d+(?:(?:-|, )\d+)*)")


def repository_files() -> list[Path]:
    """Every file of the checkout that git tracks or would track (outside .git)."""
    try:
        listed = (
            subprocess.run(
                ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                cwd=ROOT,
                capture_output=True,
                check=True,
            )
            .stdout.decode()
            .split("\0")
        )
        files = [ROOT / name for name in listed if name]
    except (OSError, subprocess.CalledProcessError):  # a source tree without git: walk it
        files = []
        for folder, dirs, names in os.walk(ROOT):
            dirs[:] = [
                d
                for d in dirs
                if not d.startswith(".") and d not in SKIPPED_DIRS and not d.endswith(".egg-info")
            ]
            files += [Path(folder) / name for name in names]
    return [f for f in files if f.is_file()]


def test_no_file_cites_what_a_reader_cannot_follow():
    files = repository_files()
    assert len(files) > 50  # the listing found the checkout
    found = []
    for path in files:
        text = path.read_bytes().lower()
        found += [f"{path.relative_to(ROOT)}: {word}" for word in FORBIDDEN if word.encode() in text]
    assert not found, found


def slide_headings() -> int:
    """The number of slides the slide table of scenarios/README.md lists."""
    readme = (ROOT / "scenarios" / "README.md").read_text()
    numbers = [int(n) for n in re.findall(r"^\| (\d+) \| ", readme, flags=re.MULTILINE)]
    assert numbers == list(range(1, len(numbers) + 1)), numbers
    return len(numbers)


def test_every_slide_cited_is_in_the_slide_table():
    last = slide_headings()
    assert last == 17  # the deck as its text has it: title page and 16 slides
    cited = []
    for path in [
        *(ROOT / "scenarios").glob("*.yaml"),
        *(ROOT / "experiments").glob("*.yaml"),
        *(ROOT / "src" / "ecosim").rglob("*.py"),
    ]:
        for match in SLIDE.finditer(path.read_text()):
            cited += [(path.name, int(n)) for n in re.split(r"-|, ", match.group(1))]
    assert len(cited) > 300  # the scenario files cite the deck throughout
    outside = [(name, n) for name, n in cited if not 1 <= n <= last]
    assert not outside, outside


def test_the_deck_is_named_by_its_title():
    title = "「バイオコミュニティの形成」"
    assert title in (ROOT / "scenarios" / "README.md").read_text()
    assert title in (ROOT / "docs" / "REFERENCES.md").read_text()
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        text = path.read_text()
        # A file of its own cites the deck in its header; a variant extends one that does.
        assert title in text or re.search(r"^extends: ", text, flags=re.MULTILINE), path.name
