"""A Dutch word list on disk, for the redactor: is a lower-case word Dutch, and how common is it.

Built once by the setup (`python -m bot.lexicon build/dutch_words.sqlite`) from two kept word
lists and the project's own words: the frequencies of `wordfreq` (about 311,000 Dutch words,
names among them), the word forms of spaCy's Dutch lemma table in `spacy-lookups-data` (about
319,000 inflected forms such as "dementeert" and "zorgbehoevend", which wordfreq lacks; both
read as data only), and the words of the NLU training data and the content.
Held in memory the union costs about 95 MB per process (measured); in SQLite a lookup costs
microseconds and nearly no memory. Without the file no word counts as unknown, so the redactor
finds no extra names and says so once in the log.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import logging
import os
import re
import sqlite3
import sys
import threading
from functools import lru_cache
from pathlib import Path
from typing import Iterable

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "build" / "dutch_words.sqlite"
# words at least this common (Zipf scale: 4.5 is 30 times per million words) are kept in memory
# for the redactor's typo check: a few thousand words
COMMON_ZIPF = 4.5


def _package_data(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{package} is not installed: run `make setup`")
    return Path(spec.submodule_search_locations[0]) / "data"


def wordfreq_dutch() -> dict[str, float]:
    """wordfreq's Dutch list as Zipf frequencies. The file is a gzipped msgpack list: a header,
    then one list of words per centibel of frequency, the i-th at 10 ** (-i / 100)."""
    import msgpack  # type: ignore[import-untyped]  # no type information published

    with gzip.open(_package_data("wordfreq") / "large_nl.msgpack.gz") as packed:
        header, *bins = msgpack.load(packed, raw=False)
    if header != {"format": "cB", "version": 1}:
        raise SystemExit(f"wordfreq's Dutch list has an unknown format: {header}")
    return {word: round(9 - i / 100, 2) for i, words in enumerate(bins) for word in words}


def spacy_dutch_forms() -> set[str]:
    with gzip.open(_package_data("spacy_lookups_data") / "nl_lemma_lookup.json.gz") as table:
        lemmas = json.load(table)
    return {form.lower() for pair in lemmas.items() for form in pair}


def domain_words(root: Path) -> set[str]:
    """The words of the NLU training data and the content: the domain's own compounds, care
    organisations and typos as citizens type them ("alarmknop", "amstelring", "budgethoudr")."""
    words: set[str] = set()
    for path in [*(root / "data" / "nlu").glob("*.yml"), *(root / "content").glob("*.yml")]:
        words |= set(re.findall(r"[a-zà-ÿ]+", path.read_text(encoding="utf-8").lower()))
    return words


def build(path: Path, root: Path = ROOT) -> int:
    frequencies = wordfreq_dutch()
    forms = spacy_dutch_forms() | domain_words(root)
    rows = sorted((w, frequencies.get(w, 0.0), w in forms) for w in frequencies.keys() | forms)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with sqlite3.connect(partial) as db:
        db.execute(
            "CREATE TABLE words (word TEXT PRIMARY KEY, zipf REAL NOT NULL, form INTEGER NOT NULL)"
            " WITHOUT ROWID"
        )
        db.executemany("INSERT INTO words VALUES (?, ?, ?)", rows)
    partial.replace(path)  # a reader never sees half a file
    return len(rows)


class Lexicon:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()  # sqlite3 connections stay in their own thread

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            self._local.db = db
        return db

    def lookup(self, word: str) -> tuple[float, bool] | None:
        """The word's frequency on the Zipf scale (0 where wordfreq does not count it) and
        whether spaCy's table knows it as a Dutch word form; None for a word neither knows."""
        row = self._db().execute("SELECT zipf, form FROM words WHERE word = ?", (word,)).fetchone()
        return None if row is None else (row[0], bool(row[1]))

    def known(self, words: Iterable[str], zipf: float) -> set[str]:
        """Those of the words that are a Dutch word form or at least this common."""
        words = list(words)
        marks = ",".join("?" * len(words))
        query = f"SELECT word FROM words WHERE word IN ({marks}) AND (form OR zipf >= ?)"
        return {word for (word,) in self._db().execute(query, (*words, zipf))}

    @lru_cache(maxsize=1)  # noqa: B019 - one lexicon per process, never freed
    def common(self) -> frozenset[str]:
        rows = self._db().execute("SELECT word FROM words WHERE zipf >= ?", (COMMON_ZIPF,))
        return frozenset(word for (word,) in rows)

    def any_common(self, words: Iterable[str]) -> bool:
        return not self.common().isdisjoint(words)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon | None:
    path = Path(os.environ.get("DUTCH_LEXICON", DEFAULT))
    if not path.exists():
        log.warning("the Dutch word list is missing (run `make setup`): rare names are not found")
        return None
    return Lexicon(path)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    print(f"{target}: {build(target)} Dutch words")
