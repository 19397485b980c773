"""The NLU proxy: a statistical intent classifier trained only on a model's own samples.

Alexa's NLU is statistical: it generalises from the samples to words it never
saw, which exact matching (virtual-alexa) cannot. This proxy is a stand-in for
it, to measure what the grammar teaches rather than what it lists: TF-IDF of
word n-grams and character n-grams into a linear model (scikit-learn, a dev
dependency), one class per intent and an out-of-domain class, which is the
model's own AMAZON.FallbackIntent samples (Alexa lets a skill add some) and the
answer whenever no intent is confident. Each sample is trained with its slot
filled by listed values, as Alexa trains on them: the values of the id the
sample's other words speak of, where they speak of one.

Slots are filled from the words the skill's lexicon knows in the sentence: the
value runs from a few words before the first known word to the end (a sign's,
the whole sentence), so that a negation or an everyday cause said with a sign
stays with it, as in a sample whose slot closes the sentence. The handlers then read it as they read any
value (tests.routing.heard_as_the_skill_does).

Training takes a few seconds per locale, so a trained proxy is kept in the
system's temporary directory, keyed by the model's text and this file's.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import random
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Optional

from skill.understanding import BUILT_IN_PHRASES, SIGNS, Lexicon, normalise

ROOT = Path(__file__).resolve().parent.parent.parent
CACHE = Path(tempfile.gettempdir()) / "cramp-coach-nlu-proxy"
FALLBACK = "AMAZON.FallbackIntent"
FILLS = 2            # listed values tried in each sample's slot, at random
FILLS_SHORT = 40     # ... or each id's first ones in turn, when the slot is most of the
SHORT_CARRIER = 3    # sample: at most this many words around it ("{symptom} el aire")
CONFIDENT = -0.35    # the lowest winning margin an intent is taken on
SLOT_REACH = 3       # words before a slot's first known word that travel with it
SEED = 28


class Proxy:
    """One locale's classifier and the slots its intents carry."""

    def __init__(self, model: dict, locale: str):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion, make_pipeline
        from sklearn.svm import LinearSVC

        language = model["interactionModel"]["languageModel"]
        self.locale = locale
        self.slots = {intent["name"]: [slot["name"] for slot in intent.get("slots", [])]
                      for intent in language["intents"]}
        texts, labels = training_set(model, Lexicon.load(locale))
        features = FeatureUnion([
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                      token_pattern=r"[^ ]+")),
            ("characters", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5),
                                           sublinear_tf=True))])
        # liblinear's dual solver shuffles the samples: seeded, every run hears alike
        self.pipeline = make_pipeline(features, LinearSVC(C=0.5, class_weight="balanced",
                                                          random_state=SEED))
        self.pipeline.fit(texts, labels)

    def intent_of(self, text: str) -> str:
        """The intent of the words, or the fallback when no intent is sure of them."""
        said = normalise(text)
        if not said:
            return FALLBACK
        scores = self.pipeline.decision_function([said])[0]
        classes = self.pipeline.classes_
        margin, best = max((scores[index], index) for index in range(len(classes)))
        return str(classes[best]) if margin >= CONFIDENT else FALLBACK

    def hear(self, text: str) -> tuple[str, dict[str, str]]:
        """The intent and the words of each of its slots."""
        intent = self.intent_of(text)
        lexicon = Lexicon.load(self.locale)
        words = normalise(text).split()
        filled = {}
        for slot in self.slots.get(intent, []):
            start = first_known(lexicon, lexicon.slot_type(slot), words)
            if start is not None:
                if lexicon.slot_type(slot) in SIGNS:
                    start = 0  # as the console sends a loosely heard sign: the whole sentence
                filled[slot] = " ".join(words[max(0, start - SLOT_REACH):])
        return intent, filled


def first_known(lexicon: Lexicon, slot_type: Optional[str], words: list[str]) -> Optional[int]:
    """Where the first word the lexicon knows for the slot type begins, if any."""
    spans = lexicon.known_words(slot_type, " ".join(words)) if slot_type else []
    exact = [start for start in range(len(words)) for end in range(start + 1, len(words) + 1)
             if slot_type and lexicon.listed(slot_type, " ".join(words[start:end]))]
    starts = [start for start, _, _ in spans] + exact
    return min(starts) if starts else None


def values_for(lexicon: Lexicon, slot_type: str, carrier: str) -> list[str]:
    """The listed values to fill a sample's slot with: those of the id its other words
    speak of ("chest {symptom}" takes chest pain's, "{symptom} el aire" breathlessness's),
    else any of the type's."""
    ids = {value_id for _, _, value_id in lexicon.known_words(slot_type, carrier)}
    listed = lexicon.types.get(slot_type, {})
    groups = [words for value_id, words in listed.items() if value_id in ids or not ids]
    # every id's values in turn, so that a sample of them has each id's first ones
    values = [group[at] for at in range(max(map(len, groups), default=0))
              for group in groups if at < len(group)]
    return values or ["something"]


def training_set(model: dict, lexicon: Lexicon) -> tuple[list[str], list[str]]:
    """Every sample of every intent, its slot filled with listed values; the built-in
    intents' own phrases too, which Alexa knows without samples."""
    shuffle = random.Random(SEED)
    language = model["interactionModel"]["languageModel"]
    texts, labels = [], []
    for intent in language["intents"]:
        slot_types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        for sample in intent.get("samples", []) + BUILT_IN_PHRASES.get(intent["name"], []):
            slot = re.search(r"\{(\w+)\}", sample)
            if slot is None:
                fills = [sample]
            else:
                slot_type = slot_types.get(slot.group(1), "")
                carrier = sample.replace(slot.group(0), " ")
                values = values_for(lexicon, slot_type, carrier)
                # a slot that carries most of the sentence is trained with more of its values
                if len(carrier.split()) > SHORT_CARRIER:
                    chosen = shuffle.sample(values, min(FILLS, len(values)))
                else:
                    chosen = values[:FILLS_SHORT]
                fills = [sample.replace(slot.group(0), value) for value in chosen]
            for text in fills:
                texts.append(normalise(text))
                labels.append(intent["name"])
    return texts, labels


@lru_cache(maxsize=None)
def trained(locale: str) -> Proxy:
    """The locale's proxy, trained once per model and kept on disk between runs."""
    model_text = (ROOT / "interaction_models" / f"{locale}.json").read_text(encoding="utf-8")
    lexicon_texts = "".join(path.read_text(encoding="utf-8")
                            for path in sorted((ROOT / "skill" / "lexicon").glob("*.json")))
    key = hashlib.sha256((model_text + lexicon_texts + Path(__file__).read_text())
                         .encode()).hexdigest()[:20]
    path = CACHE / f"{locale}-{key}.pickle"
    if path.exists():
        try:
            with open(path, "rb") as cached:
                return pickle.load(cached)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
    proxy = Proxy(json.loads(model_text), locale)
    CACHE.mkdir(parents=True, exist_ok=True)
    for stale in CACHE.glob(f"{locale}-*.pickle"):
        stale.unlink(missing_ok=True)
    partial = path.with_suffix(".partial")
    with open(partial, "wb") as out:
        pickle.dump(proxy, out)
    partial.replace(path)
    return proxy
