"""Build the Dutch spaCy pipeline Rasa uses, from spaCy's own `nl` language data.

No pretrained Dutch pipeline can be downloaded in our environments, and Rasa's
intent classifier does not need one: it needs Dutch tokenisation, lemmas (so
"wacht", "wachten" and "gewacht" share features) and our domain entities.
So we assemble: blank `nl` tokenizer + lookup lemmatizer (spacy-lookups-data)
+ an EntityRuler built from nlp/entities.yml and the editable content files.

Usage: python -m nlp.build_pipeline OUTPUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy
import yaml

from nlp.normalizer import build_frequencies
from nlp.vocabulary import ROOT, Vocabulary, fold, load_vocabulary, phrase_text

# A phrase gets one label: the specific ones win over glossary terms and places
# ("vpt" is a delivery form first; the glossary still explains it by its text).
LABEL_PRIORITY = ["leveringsvorm", "relatie", "organisatie", "sector", "plaats", "begrip"]


def ruler_patterns(vocab: Vocabulary) -> list[dict]:
    nlp = spacy.blank("nl")
    patterns, seen = [], set()
    labels = sorted(
        vocab,
        key=lambda name: (
            LABEL_PRIORITY.index(name) if name in LABEL_PRIORITY else len(LABEL_PRIORITY)
        ),
    )
    for label in labels:
        for value, phrases in vocab[label].items():
            for phrase in phrases:
                if isinstance(phrase, dict):  # case-sensitive: match the exact spelling
                    tokens = [{"ORTH": t.text} for t in nlp.make_doc(phrase["exact"])]
                    patterns.append({"label": label, "pattern": tokens, "id": value})
                    continue
                for variant in sorted({phrase.lower(), fold(phrase)}):
                    if variant in seen:
                        continue
                    seen.add(variant)
                    # token patterns on LOWER: case-insensitive, exact token match
                    tokens = [{"LOWER": t.text} for t in nlp.make_doc(variant)]
                    patterns.append({"label": label, "pattern": tokens, "id": value})
    return patterns


def training_texts(nlu_dir: Path = ROOT / "data" / "nlu") -> list[str]:
    texts = []
    for path in sorted(nlu_dir.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            examples = block.get("examples") or ""
            texts += [line[2:] for line in examples.splitlines() if line.startswith("- ")]
    return texts


def build(output: Path) -> spacy.Language:
    vocab = load_vocabulary()
    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    normalizer = nlp.add_pipe("wlz_normalizer")
    nlp.initialize()  # loads the lemma lookup table from spacy-lookups-data
    ruler.add_patterns(ruler_patterns(vocab))
    domain_words = [
        w
        for values in vocab.values()
        for phrases in values.values()
        for phrase in phrases
        for w in phrase_text(phrase).split()
    ]
    normalizer.set_frequencies(build_frequencies(training_texts(), domain_words))
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return nlp


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m nlp.build_pipeline OUTPUT_DIR")
    built = build(Path(sys.argv[1]))
    print(f"spaCy pipeline written to {sys.argv[1]}: {built.pipe_names}")
