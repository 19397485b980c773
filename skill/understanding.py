"""Hearing words: the skill's lexicon of slot words, and the console's tolerant matcher.

The lexicon (one per locale, `skill/lexicon/`) is what the skill knows of the
words for each slot: the values and synonyms every interaction model lists
(tools/grammar.py takes them from here), and the words that resolve a value
Alexa sends unresolved ("really swollen", "cold and blue"). The handlers read
an unresolved slot through it (skill/alexa/slots.py), name-free entry judges a
raw value with it (skill/alexa/platform.py), and the console hears with it.

The matcher hears typed text as the interaction model says Alexa would: an
exact sample first (with slot values resolved to their ids, or passed on
unresolved as Alexa does), then, tolerantly, the same sample with a misheard
word corrected, filler words left out or the words in another order. Whatever
is left over is AMAZON.FallbackIntent. Used by the text console, the routing
benchmark and the tests.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Iterator, Optional

MODELS_DIR = Path(__file__).resolve().parent.parent / "interaction_models"
LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
DEFAULT_LANGUAGE = "en"
NEGATION_REACH = 3  # words before a sign that can deny it ("not really swollen")
SHORT_VALUE = 3  # words: what a slot holds; a weak word alone resolves only in so few
LONGEST_VALUE = 200  # characters: a slot value longer than any spoken one is not read
LOCALE = re.compile(r"[a-z]{2}(-[A-Z]{2})?")
LOCALE_KEY = "_locale"  # load_model's mark on a model: whose lexicon a Matcher hears with
NEAR_MISS = 0.8       # how alike a typed word must be to a known word to stand for it
CLOSE_ENOUGH = 0.8    # how much of a sample's weighted words a loose match must share
LONGEST_FREE_SLOT = 6  # words an unlisted slot value may have
LONGEST_UNREAD_SLOT = 2  # ... when the lexicon reads nothing in it
LONGER_THAN_SAMPLES = 1.5  # how much longer than an intent's longest sample a guessed sentence may be
CORE_LEAST = 2  # words a sample found inside a sentence, between asides, must have
INSIDE_LEAST = 3  # words a sample found inside a sentence of any other words must have
INSIDE_OWN_WORDS = 2  # ... of them its own, besides a slot's value
SLOT_EXTRA_WORDS = 1  # words besides the known ones a readable unlisted value may have
LINKS = frozenset("and y of de e".split())  # "swollen and red", "hinchada y roja"
LIKELY = 1.0  # how much more likely, per word, the best intent must be than the next
YES, NO = "AMAZON.YesIntent", "AMAZON.NoIntent"
SIGNS = frozenset({"SignType", "SymptomType"})  # the slot types a red flag is read by
RED_FLAG = "RedFlagIntent"
CONTRACTIONS = {
    "it's": "it is", "i'm": "i am", "i've": "i have", "i'd": "i would", "i'll": "i will",
    "can't": "cannot", "won't": "will not", "don't": "do not", "doesn't": "does not",
    "isn't": "is not", "hasn't": "has not", "haven't": "have not", "didn't": "did not",
    "what's": "what is", "that's": "that is", "there's": "there is", "let's": "let us",
    "leg's": "leg is", "calf's": "calf is", "foot's": "foot is", "cramp's": "cramp is",
    "pain's": "pain is", "chest's": "chest is", "breathing's": "breathing is",
    "nothing's": "nothing is", "everything's": "everything is", "you're": "you are",
    "we're": "we are", "where's": "where is",
    "can not": "cannot", "ok": "okay",
    "de la nada": "de repente",  # "out of nowhere": no negation of what follows
    # typed without the apostrophe
    "cant": "cannot", "dont": "do not", "wont": "will not", "doesnt": "does not",
    "isnt": "is not", "hasnt": "has not", "didnt": "did not", "im": "i am", "ive": "i have",
    "whats": "what is", "thats": "that is", "theres": "there is", "its": "it is",
}
# Said around a request without changing it: left out when matching loosely.
FILLERS = frozenset("please um uh er erm oh ugh ow ouch hey alexa so well just really like "
                    "hmm okay actually right now a the lot much badly very bit little quite "
                    "pretty".split())
# Words that turn a sign into its absence: a loose match never drops them.
NEGATIONS = frozenset("not no never without cannot".split())
# Alexa understands these for the built-in intents a model declares, without samples.
BUILT_IN_PHRASES = {
    "AMAZON.YesIntent": ["yes", "yeah", "yep", "sure"],
    "AMAZON.NoIntent": ["no", "nope"],
    "AMAZON.StopIntent": ["stop", "off"],
    "AMAZON.CancelIntent": ["cancel", "never mind"],
    "AMAZON.HelpIntent": ["help", "help me"],
    "AMAZON.RepeatIntent": ["repeat", "say that again"],
    "AMAZON.NextIntent": ["next", "skip"],
    "AMAZON.PreviousIntent": ["previous"],
    "AMAZON.ResumeIntent": ["resume"],
    "AMAZON.PauseIntent": ["pause"],
    "AMAZON.StartOverIntent": ["start over", "restart"],
    "AMAZON.NavigateHomeIntent": ["go home", "home"],
}
LAUNCH_VERBS = ("open", "launch", "start", "talk to", "run",
                "abre", "abrir", "inicia", "habla con")
ONE_SHOT_VERBS = ("ask", "tell", "pregúntale a", "pregunta a", "pídele a", "dile a")


def normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"'s (just |already )?(gone|got|been|collapsed|fainted|passed|blacked)\b",
                  r" has \1\2", text)  # "my calf's gone into cramp", "he's just collapsed"
    for short, long in CONTRACTIONS.items():
        text = re.sub(rf"\b{re.escape(short)}(?=\W|$)", long, text)
    text = re.sub(r"[^a-z0-9áéíóúñü' {}]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


# Words that only point at the leg ("my", "the", British "me"): one word in the lexicon.
DETERMINERS = {"en": (frozenset("my the me his her their your our".split()), "the"),
               "es": (frozenset("el la los las mi mis su sus tu tus".split()), "el")}


def _determiners(language: str) -> tuple[frozenset[str], str]:
    return DETERMINERS.get(language, DETERMINERS[DEFAULT_LANGUAGE])


def fold(word: str, language: str, gender: bool = True) -> str:
    """A word as the lexicon compares it: without its plural (and, in Spanish, its
    gender, unless the gender is the point: "esposo" is not "esposa"), so that "calfs"
    meets "calf" and "hinchadas" meets "hinchado", and any determiner as one ("back of
    my knee" meets "back of the knee")."""
    determiners, standing_for = _determiners(language)
    if word in determiners:
        return standing_for
    if language == "es":
        if len(word) > 4 and word.endswith("s"):
            word = word[:-1]
        if gender and len(word) > 4 and word[-1] in "oa":
            word = word[:-1]
        return word
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _merge(base: dict, overlay: dict) -> None:
    """A locale's words laid over its language's: a list replaces, {"add": [...]} extends."""
    for type_name, values in overlay.items():
        known_type = base.setdefault(type_name, {})
        for value_id, words in values.items():
            known = known_type.setdefault(value_id, [])
            if isinstance(words, dict):
                repeated = set(words["add"]) & set(known)
                if repeated:
                    raise ValueError(f"{type_name}.{value_id} already has {sorted(repeated)}")
                known.extend(words["add"])
            else:
                known_type[value_id] = list(words)


class Lexicon:
    """One locale's words for each slot: what resolves a slot value, by its words.

    A value that is exactly a listed value or synonym resolves to its id, as
    Alexa's entity resolution would. A value that only contains a known word
    ("my really swollen leg") resolves to that word's id, unless a negation
    comes just before it ("not swollen"); two ids in one value resolve to the
    one the lexicon lists first (the graver sign); a leg sign with an everyday
    cause in the sentence that explains it ("cold from the covers", "red from
    rubbing", never swelling; not "even under the covers" or "I haven't rubbed
    it"), or said of something that is not the leg ("my urine is dark", "my face
    is swollen": those are other signs) and no leg, does not resolve as a leg sign.
    A weak word ("pain", "breathing", "blood") stands for its sign only in a value as
    short as a slot's, where the sample's own words said the rest ("chest {symptom}"),
    or beside a word that says it ("cough" for blood); a whole sentence needs the
    strong words.
    A reassurance just after a sign ("breathing fine", "respiro bien") denies it, as a
    negation before it does; both together ("not breathing well") affirm it.
    Intensifiers inside a phrase ("bien oscura", "all swollen") are passed over.
    """

    def __init__(self, data: dict, language: str):
        self.language = language
        self.types: dict[str, dict[str, list[str]]] = data["types"]
        self.slots: dict[str, str] = data.get("slots", {})
        exact_only = {type_name: {normalise(word) for word in words}
                      for type_name, words in data.get("exact_only", {}).items()}
        self._exact: dict[str, dict[str, str]] = {}
        self._order: dict[str, dict[str, int]] = {}
        # type -> first folded word -> [(folded words, id)], longest first
        self._words: dict[str, dict[str, list[tuple[tuple[str, ...], str]]]] = {}
        self._weak: dict[tuple[str, tuple[str, ...]], list[tuple[str, ...]]] = {}
        self._never_alone: set[tuple[str, tuple[str, ...]]] = set()  # "a headache" is no sign
        weak_words = data.get("weak_words", {})
        self.gendered = frozenset(data.get("keeps_gender", []))
        for type_name, values in self.types.items():
            exact = self._exact[type_name] = {}
            self._order[type_name] = {value_id: rank for rank, value_id in enumerate(values)}
            contained: list[tuple[str, str]] = []
            for value_id, listed in values.items():
                for spoken in listed:
                    exact.setdefault(normalise(spoken), value_id)
                    if (type_name in data.get("contains_listed", ())
                            and normalise(spoken) not in exact_only.get(type_name, ())):
                        contained.append((spoken, value_id))
                contained += [(word, value_id)
                              for word in data.get("words", {}).get(type_name, {}).get(value_id, [])]
                for weak in weak_words.get(type_name, {}).get(value_id, []):
                    for word in weak["words"]:
                        contained.append((word, value_id))
                        key = (type_name, self._folded(word, type_name))
                        self._weak[key] = [self._folded(other) for other in weak.get("with", [])]
                        if weak.get("never_alone"):
                            self._never_alone.add(key)
            index: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
            for spoken, value_id in contained:
                words = self._folded(spoken, type_name)
                if words and (words, value_id) not in index[words[0]]:
                    index[words[0]].append((words, value_id))
            for entries in index.values():
                entries.sort(key=lambda entry: -len(entry[0]))
            self._words[type_name] = dict(index)
        self.negations = frozenset(normalise(word) for word in data.get("negations", []))
        self.breaks = frozenset(normalise(word) for word in data.get("clause_breaks", []))
        self.links = frozenset(normalise(word) for word in data.get("clause_links", []))
        not_now = data.get("not_now", {})
        self.not_now = {place: [self._folded(phrase) for phrase in not_now.get(place, [])]
                        for place in ("anywhere", "referring_back", "other_senses")}
        # a supposition is read as said: "say my leg..." supposes, "he says his chest..." reports
        self.not_now["before"] = [tuple(normalise(phrase).split())
                                  for phrase in not_now.get("before", [])]
        self.not_now_checked = frozenset(data.get("not_now_checked", []))
        self.not_now_exempt = frozenset(data.get("not_now_exempt", []))  # a wound last week
        self.openers = frozenset(normalise(word) for word in data.get("clause_openers", []))
        # an everyday cause excuses only the signs it can explain: never swelling
        excuses = data.get("excuses", {})
        self.causes = [(self._folded(cause), frozenset(excuses.get(group, ())))
                       for group, causes in data.get("ordinary_causes", {}).items()
                       for cause in causes]
        self.concessions = [self._folded(word) for word in data.get("concessions", [])]
        self.elsewhere = [self._folded(word) for word in data.get("not_the_leg", [])]
        self.the_leg = [self._folded(word) for word in data.get("the_leg", [])]
        self.difficulties = frozenset(normalise(word) for word in data.get("difficulties", []))
        self.cause_checked = frozenset(data.get("cause_checked", []))
        self.intensifiers = frozenset(normalise(word) for word in data.get("intensifiers", []))
        self.reassurances = [self._folded(word) for word in data.get("reassurances", [])]
        self.clause_ends = [self._folded(word) for word in data.get("clause_ends", [])]
        self.qualifiers = frozenset(normalise(word) for word in data.get("qualifiers", []))
        # said before or after a request without changing it: "ugh", "what do i do", "mate"
        asides = data.get("asides", {})
        self.asides = {side: sorted({tuple(normalise(aside).split()) for aside in asides.get(side, [])},
                                    key=len, reverse=True) for side in ("before", "after")}

    @classmethod
    def load(cls, locale: Optional[str]) -> Lexicon:
        """The locale's lexicon: its language's, with the locale's own words laid over it.
        A locale without one hears its language's; an unknown language, English."""
        return _lexicon(locale if isinstance(locale, str) else DEFAULT_LANGUAGE)

    def _folded(self, text: str, slot_type: Optional[str] = None) -> tuple[str, ...]:
        gender = slot_type not in self.gendered
        return tuple(fold(word, self.language, gender) for word in normalise(text).split())

    def is_negation(self, word: str) -> bool:
        """A word that turns what follows into its absence: the locale's or "cannot"."""
        return word in self.negations or word in NEGATIONS

    def slot_type(self, slot_name: str) -> Optional[str]:
        return self.slots.get(slot_name)

    def listed(self, slot_type: str, value: str) -> Optional[str]:
        """The id of a value exactly as the models list it (what entity resolution matches)."""
        return self._exact.get(slot_type, {}).get(normalise(value))

    def resolve(self, slot_type: Optional[str], value: object, context: str = "",
                strong: bool = False) -> Optional[str]:
        """The id a slot value stands for, or None. `context` is the rest of what was said
        (the other slot values, or the whole sentence where it is known), read only for
        an everyday cause of a leg sign. `strong` reads only the words that say the sign
        themselves (for words that were said as another kind of sign: "a bit sore" of a leg
        is not chest pain)."""
        if (not slot_type or not isinstance(value, str) or slot_type not in self._words
                or len(value) > LONGEST_VALUE):
            return None
        listed = self.listed(slot_type, value)
        if listed and not strong:  # "tight" is listed for a chest, not for a leg
            return listed
        found = {value_id for _, _, value_id in self.known_words(slot_type, value, context, strong)}
        if found and slot_type in self.cause_checked:
            said = f"{value} {context}"
            if self._mentions(self.elsewhere, said) and not self._mentions(self.the_leg, said):
                return None  # "my face is swollen", "my urine is dark": other signs
            found -= self.excused(said)
        if not found:
            return None
        order = self._order[slot_type]
        return min(found, key=lambda value_id: order[value_id])

    def known_words(self, slot_type: str, text: str, context: str = "",
                    strong: bool = False) -> list[tuple[int, int, str]]:
        """Where the words known for a slot type are in the text (start and end, in its
        normalised words) and their ids: the longest reading of each stretch, leaving
        out any that a negation just before or a reassurance just after denies, and a
        weak word that neither a short value nor a word beside it bears out."""
        said = normalise(text).split()
        gender = slot_type not in self.gendered
        folded = [fold(word, self.language, gender) for word in said]
        kept = [at for at, word in enumerate(said) if word not in self.intensifiers]
        plain = [folded[at] for at in kept]
        index = self._words.get(slot_type, {})
        short = not strong and self._length(said) <= SHORT_VALUE
        around = f"{text} {context}"
        spans: list[tuple[int, int, str]] = []
        for start, word in enumerate(plain):
            for words, value_id in index.get(word, ()):
                if tuple(plain[start:start + len(words)]) == words:
                    if self._borne_out(slot_type, words, short, around):
                        spans.append((kept[start], kept[start + len(words) - 1] + 1, value_id))
                        break
        widest = [span for span in spans
                  if not any(other[0] <= span[0] and span[1] <= other[1] and other != span
                             and other[1] - other[0] > span[1] - span[0] for other in spans)]
        timed = slot_type in self.not_now_checked
        return [span for span in widest if not self._denied(said, *span[:2])
                and not (timed and span[2] not in self.not_now_exempt
                         and self._not_now(said, *span[:2]))]

    def _not_now(self, said: list[str], start: int, end: int) -> bool:
        """A sign said of another time or of no one ("I fainted once at school", "what if my
        leg goes numb", "on the news a man coughed up blood") or in another sense ("passed out
        flyers"): a `not_now` phrase in the sign's clause, a supposition before it there, or
        a clause just after that refers back to it with a time gone by ("but that was years
        ago")."""
        folded = [fold(word, self.language) for word in said]
        first, last = start, end
        while first > 0 and not self._bound(said, first - 1):
            first -= 1
        while last < len(said) and not self._bound(said, last):
            last += 1
        # the word that ends the clause may end its phrase too: "fine now", "alright now"
        if (_holds(self.not_now["anywhere"] + self.not_now["other_senses"], folded[first:last + 1])
                or _holds(self.not_now["before"], said[first:start])):
            return True
        following = folded[last + 1:]
        for phrase in self.not_now["referring_back"]:
            if phrase and tuple(following[:len(phrase)]) == phrase:
                following = following[len(phrase):]
                break
        return any(phrase and tuple(following[:len(phrase)]) == phrase
                   for phrase in self.not_now["anywhere"])

    def _bound(self, said: list[str], at: int) -> bool:
        """Where one clause ends: a "but", or an "and" with a clause of its own after it
        ("and now my chest hurts", not "red and blotchy")."""
        word = said[at]
        if word in self.breaks or (word in self.links and word not in LINKS):
            return True
        return (word in LINKS and word in self.links  # "back of the knee" is one clause
                and at + 1 < len(said) and said[at + 1] in self.openers)

    def _length(self, said: list[str]) -> int:
        """How many words a value has, fillers aside ("gone a bit purplish": two)."""
        return sum(word not in FILLERS and word not in self.intensifiers for word in said)

    def _borne_out(self, slot_type: str, words: tuple[str, ...], short: bool, text: str) -> bool:
        """A strong word always; a weak one in a slot-sized value, or beside its backing
        (which a `never_alone` word always needs: a headache is a sign only in pregnancy)."""
        backing = self._weak.get((slot_type, words))
        alone = short and (slot_type, words) not in self._never_alone
        return backing is None or alone or self._mentions(backing, text)

    def _denied(self, said: list[str], start: int, end: int) -> bool:
        negated = False
        for word in reversed(said[max(0, start - NEGATION_REACH):start]):
            if word in self.breaks:
                break
            if word in self.negations:
                negated = True
                break
        reassured = self._reassured(said, start, end)
        if negated and reassured and any(map(self.is_negation, said[end:end + NEGATION_REACH])):
            return True  # "no chest pain is not there": denied twice, not affirmed
        return negated != reassured

    def _reassured(self, said: list[str], start: int, end: int) -> bool:
        """A sign followed by "fine", "okay", "bien" that ends the clause (or comes before the
        next clause, "my" leg or the next thing named: "chest's fine, breathing's fine"), unless the
        sign's own words are a negation or a difficulty ("can't breathe properly" stays a sign)."""
        if any(self.is_negation(word) or word in self.difficulties for word in said[start:end]):
            return False  # "can't breathe properly", "me cuesta respirar bien"
        folded = [fold(word, self.language) for word in said]
        starts = {phrase[0] for phrase in self.reassurances if phrase}
        at = end
        while at < len(said) and folded[at] in self.intensifiers and folded[at] not in starts:
            at += 1  # "breathing perfectly fine"
        for phrase in self.reassurances:
            if phrase and tuple(folded[at:at + len(phrase)]) == phrase:
                rest = folded[at + len(phrase):]
                return (not rest or rest[0] in self.breaks or rest[0] in self.links
                        or rest[0] == _determiners(self.language)[1]  # "fine, my calf..."
                        or any(tuple(rest[:len(ending)]) == ending
                               for ending in self.clause_ends if ending)
                        or self._reassured_next(said, folded, at + len(phrase)))
        return False

    def _reassured_next(self, said: list[str], folded: list[str], at: int) -> bool:
        """The next thing named is reassured too ("chest's fine, breathing's fine")."""
        return any(tuple(folded[at:at + len(words)]) == words
                   and self._reassured(said, at, at + len(words))
                   for index in self._words.values() for words, _ in index.get(folded[at], ()))

    def excused(self, text: str) -> frozenset[str]:
        """The leg signs an everyday cause in the words explains ("cold from the covers",
        "red from rubbing it"), unless the cause is denied or conceded ("I haven't been
        rubbing it", "even under the covers")."""
        said = normalise(text).split()
        folded = [fold(word, self.language) for word in said]
        excused: set[str] = set()
        for cause, signs in self.causes:
            for start in range(len(folded)):
                if cause and tuple(folded[start:start + len(cause)]) == cause \
                        and not self._denied_cause(said, folded, start):
                    excused |= signs
        return frozenset(excused)

    def _denied_cause(self, said: list[str], folded: list[str], start: int) -> bool:
        before = folded[max(0, start - NEGATION_REACH - 1):start]
        if any(map(self.is_negation, said[max(0, start - NEGATION_REACH):start])):
            return True
        return any(tuple(before[at:at + len(phrase)]) == phrase
                   for phrase in self.concessions if phrase for at in range(len(before)))

    def _mentions(self, phrases: list[tuple[str, ...]], text: str) -> bool:
        folded = self._folded(text)
        return any(tuple(folded[start:start + len(phrase)]) == phrase
                   for phrase in phrases if phrase for start in range(len(folded)))


def _holds(phrases: list[tuple[str, ...]], words: list[str]) -> bool:
    return any(phrase and tuple(words[start:start + len(phrase)]) == phrase
               for phrase in phrases for start in range(len(words)))


@lru_cache(maxsize=16)
def _lexicon(locale: str) -> Lexicon:
    if not LOCALE.fullmatch(locale):  # a request's locale names a file: only a locale's shape
        locale = DEFAULT_LANGUAGE
    language = locale.split("-")[0]
    if not (LEXICON_DIR / f"{language}.json").exists():
        language = DEFAULT_LANGUAGE
    data = json.loads((LEXICON_DIR / f"{language}.json").read_text(encoding="utf-8"))
    own = LEXICON_DIR / f"{locale}.json"
    if "-" in locale and own.exists():
        overlay = json.loads(own.read_text(encoding="utf-8"))
        _merge(data["types"], overlay.get("types", {}))
        _merge(data.setdefault("words", {}), overlay.get("words", {}))
    return Lexicon(data, language)


@dataclass
class Match:
    intent: str
    slots: dict = field(default_factory=dict)  # name -> (value, resolved id or None)

    def explain(self) -> str:
        """One line for --explain: the intent and each slot as Alexa would send it."""
        slots = [f"{name}={value!r} ({resolved or 'unresolved'})"
                 for name, (value, resolved) in self.slots.items()]
        return " ".join([self.intent, *slots])


@dataclass(frozen=True)
class _Frame:
    """A sample with its slot (if any) replaced by the slot's type."""

    intent: str
    slot: Optional[str]       # the slot's name in this intent
    slot_type: Optional[str]


class Matcher:
    """Typed text to an intent and slots, the way the interaction model says."""

    def __init__(self, model: dict, lexicon: Optional[Lexicon] = None):
        language = model["interactionModel"]["languageModel"]
        if lexicon is None and isinstance(model.get(LOCALE_KEY), str):
            lexicon = Lexicon.load(model[LOCALE_KEY])
        self.lexicon = lexicon
        self.invocation = normalise(language["invocationName"])
        self.slot_words: dict[str, dict[tuple, tuple[str, Optional[str]]]] = {}
        for slot_type in language.get("types", []):
            table = self.slot_words.setdefault(slot_type["name"], {})
            for entry in slot_type["values"]:
                name = entry["name"]
                for spoken in [name["value"], *name.get("synonyms", [])]:
                    table.setdefault(tuple(normalise(spoken).split()),
                                     (name["value"], entry.get("id")))
        self.exact: dict[tuple, _Frame] = {}
        self.around: dict[tuple, _Frame] = {}   # (words before, words after) a slot
        self.loose: dict[tuple, Optional[_Frame]] = {}
        self.bags: dict[tuple, Optional[_Frame]] = {}
        self.samples: dict[str, list[str]] = {}
        self.slot_types: dict[str, dict[str, str]] = {}
        for intent in language["intents"]:
            types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
            phrases = intent.get("samples", []) + BUILT_IN_PHRASES.get(intent["name"], [])
            self.samples[intent["name"]] = phrases
            self.slot_types[intent["name"]] = types
            for phrase in phrases:
                self._add(intent["name"], phrase, types)
        self.known = frozenset({word for key in self.exact for word in key
                                if not word.startswith("<")}
                               | {word for table in self.slot_words.values()
                                  for words in table for word in words})
        self.vocabulary = sorted(self.known)
        self.type_words = {slot_type: frozenset(word for words in table for word in words)
                           for slot_type, table in self.slot_words.items()}
        self.longest = {intent: max((len(phrase.split()) for phrase in phrases), default=0)
                        for intent, phrases in self.samples.items()}
        self._index_for_overlap()

    # Building the indexes.
    def _add(self, intent: str, phrase: str, types: dict) -> None:
        words = normalise(phrase).split()
        slot = next((word[1:-1] for word in words if word.startswith("{")), None)
        frame = _Frame(intent, slot, types.get(slot))
        key = tuple(f"<{frame.slot_type}>" if word.startswith("{") else word for word in words)
        self.exact.setdefault(key, frame)
        if slot:
            at = key.index(f"<{frame.slot_type}>")
            self.around.setdefault((key[:at], key[at + 1:]), frame)
        loose = tuple(word for word in key if word not in FILLERS)
        for table, loose_key in ((self.loose, loose), (self.bags, tuple(sorted(loose)))):
            if loose_key and table.get(loose_key, frame) != frame:
                table[loose_key] = None  # two intents: too ambiguous to guess
            else:
                table.setdefault(loose_key, frame)

    def _index_for_overlap(self) -> None:
        self.postings: dict[str, list[tuple]] = defaultdict(list)
        for key, frame in self.loose.items():
            if frame is not None:
                for word in set(key):
                    self.postings[word].append(key)
        total = max(len(self.loose), 1)
        self.weight = {word: math.log(1 + total / len(keys)) for word, keys in self.postings.items()}

    # Matching.
    def match(self, text: str) -> Match:
        words = normalise(text).split()
        if not words:
            return Match("AMAZON.FallbackIntent")
        corrected = [self._nearest(word) for word in words]
        exact = (self._exactly(words) or self._exactly(corrected) or self._free_slot(words)
                 or self._core(words) or self._inside(words) or self._clauses(words))
        if exact:
            return exact
        heard = self._loosely(corrected) or self._likely(corrected)
        return self._with_the_sentence(heard, words) if heard else Match("AMAZON.FallbackIntent")

    def _with_the_sentence(self, heard: Match, words: list[str]) -> Match:
        """A sign heard loosely is sent with the whole sentence as its words, as Alexa
        would fill a slot that closes a sample: a "not" or an everyday cause said with
        it stays with it ("no chest pain, just the cramp"; "cold cos the aircon's on")."""
        if self.lexicon is None:
            return heard
        slots = dict(heard.slots)
        for name in slots:
            if self.lexicon.slot_type(name) in SIGNS:
                slots[name] = (" ".join(words), None)
        return Match(heard.intent, slots)

    def _exactly(self, words: list[str]) -> Optional[Match]:
        """A sample word for word, literal or with a listed slot value."""
        for key, mention in self._readings(words):
            frame = self.exact.get(key)
            if frame:
                return self._result(frame, mention)
        return None

    def _free_slot(self, words: list[str]) -> Optional[Match]:
        """A sample word for word around a slot value the model does not list: Alexa
        sends such a value unresolved. A value the skill's lexicon can read wins, then
        the shortest; one that starts or ends with a filler word is left to the loose
        match ("um so my calf" is "my calf")."""
        best = None
        for start in range(len(words)):
            for end in range(start + 1, min(start + LONGEST_FREE_SLOT, len(words)) + 1):
                frame = self.around.get((tuple(words[:start]), tuple(words[end:])))
                if frame and words[start] not in FILLERS and words[end - 1] not in FILLERS:
                    value = " ".join(words[start:end])
                    readable = self._readable(frame, value)
                    if not (self._slot_sized(frame, value) if readable
                            else end - start <= LONGEST_UNREAD_SLOT
                            and not self._carrier_words(frame, words[start:end])):
                        continue  # another sentence, or carrier words, not a slot's value
                    rank = (not readable, end - start)
                    if best is None or rank < best[0]:
                        best = (rank, frame, value)
        if best is None:
            return None
        (unread, _), frame, value = best
        listed = self.slot_words.get(frame.slot_type or "", {}).get(tuple(value.split()))
        if unread and not listed and frame.slot_type in SIGNS \
                and self._readable(frame, " ".join(words)):
            value = " ".join(words)  # "he's just fainted" for "{symptom} fainted": read it all
        return Match(frame.intent, {frame.slot: listed or (value, None)})

    def _core(self, words: list[str]) -> Optional[Match]:
        """A sample word for word inside the sentence, with only the lexicon's asides
        around it ("ugh my calf is cramping again tonight mate"), as Alexa's NLU hears a
        request under the words people wrap it in: the fewest words left out first. A
        sign found so is sent with the whole sentence, its causes and denials with it."""
        if self.lexicon is None:
            return None
        cuts = sorted(((lead, tail) for lead in self._aside_lengths(words, "before")
                       for tail in self._aside_lengths(words[lead:][::-1], "after")
                       if lead + tail and len(words) - lead - tail >= CORE_LEAST),
                      key=sum)
        for lead, tail in cuts:
            span = words[lead:len(words) - tail]
            found = self._exactly(span) or self._free_slot(span)
            if found:
                return self._with_the_sentence(found, words)
        return None

    def _inside(self, words: list[str]) -> Optional[Match]:
        """A sample word for word inside a longer sentence, the longest first ("my husband's
        got a charley horse and he's yelling can you help"): what is left out may not hold a
        "not" or any word the lexicon knows for a slot, so nothing that names or denies a
        request is lost; a sign found so goes with the whole sentence."""
        if self.lexicon is None:
            return None
        leavable = [self._may_leave_out(word) for word in words]  # once, not per span
        for length in range(len(words) - 1, max(INSIDE_LEAST, len(words) // 2) - 1, -1):
            for start in range(len(words) - length + 1):
                if not (all(leavable[:start]) and all(leavable[start + length:])):
                    continue
                left_out = words[:start] + words[start + length:]
                found = self._exactly(words[start:start + length])
                if (found and found.intent not in (YES, NO) and self._says_enough(found, length)
                        and self.naive_bayes.best(left_out) in (None, found.intent)):
                    heard = self._with_the_sentence(found, words)
                    if found.intent != RED_FLAG or self._still_a_sign(heard):
                        return heard
        return None

    def _clauses(self, words: list[str]) -> Optional[Match]:
        """Clauses run together ("my calf is all swollen and now my chest hurts"), each heard
        on its own as a sample. Red flags found so are heard together, with the whole sentence
        as their words (two signs: the graver), unless the clauses they are not in qualify
        them ("... and that was years ago"); any other request only when it is the one found
        and the rest holds no "not", no sign's word and nothing of another intent."""
        if self.lexicon is None:
            return None
        clauses = self._split(words)
        if len(clauses) < 2:
            return None
        found = [(at, heard) for at, clause in enumerate(clauses)
                 if (heard := self._heard_alone(clause)) is not None]
        flags = [at for at, heard in found if heard.intent == RED_FLAG]
        chosen = flags or [at for at, _ in found]
        if not chosen or len({dict(found)[at].intent for at in chosen}) > 1:
            return None
        rest = [word for at, clause in enumerate(clauses) if at not in chosen for word in clause]
        if any(word in self.lexicon.qualifiers for word in rest):
            return None
        heard = dict(found)[chosen[0]]
        if not flags:
            if (heard.intent in (YES, NO) or any(map(self.lexicon.is_negation, rest))
                    or self._names_a_sign(rest)
                    or self.naive_bayes.best(rest) not in (None, heard.intent)):
                return None
            return heard
        slots: dict = {}
        for at in flags:
            slots.update(dict(found)[at].slots)
        heard = self._with_the_sentence(Match(RED_FLAG, slots), words)
        return heard if self._still_a_sign(heard) else None

    def _names_a_sign(self, words: list[str]) -> bool:
        """Words that say a sign themselves ("numb", not "tight" or "pain", which say one only
        beside other words): never left unheard."""
        assert self.lexicon is not None
        return any(self.lexicon.known_words(slot_type, " ".join(words), strong=True)
                   for slot_type in SIGNS)

    def _split(self, words: list[str]) -> list[list[str]]:
        """The words between the lexicon's clause links, clauses of two words or more."""
        assert self.lexicon is not None
        clauses: list[list[str]] = [[]]
        for word in words:
            if word in self.lexicon.links:
                clauses.append([])
            else:
                clauses[-1].append(word)
        return [clause for clause in clauses if len(clause) >= CORE_LEAST]

    def _heard_alone(self, clause: list[str]) -> Optional[Match]:
        corrected = [self._nearest(word) for word in clause]
        return (self._exactly(clause) or self._exactly(corrected) or self._free_slot(clause)
                or self._core(clause))

    def _still_a_sign(self, heard: Match) -> bool:
        """A red flag found inside a sentence whose other words explain or deny its sign
        ("red from rubbing it") is not one: those words were not left out after all."""
        assert self.lexicon is not None
        return any(self.lexicon.resolve(self.lexicon.slot_type(name), value, value)
                   for name, (value, _) in heard.slots.items())

    def _may_leave_out(self, word: str) -> bool:
        """Not a "not", nor a word that qualifies what is said ("because", "years ago",
        "if"), nor a word the lexicon knows for any slot, even a weak one alone."""
        assert self.lexicon is not None
        return not (self.lexicon.is_negation(word) or word in self.lexicon.qualifiers
                    or any(self.lexicon.known_words(slot_type, word)
                           for slot_type in self.type_words))

    def _says_enough(self, found: Match, length: int) -> bool:
        """A sample with words of its own beside a slot ("on my calf" is an answer, not a
        request to find inside a sentence)."""
        slot_words = sum(len(value.split()) for value, _ in found.slots.values())
        return length - slot_words >= INSIDE_OWN_WORDS

    def _aside_lengths(self, words: list[str], side: str) -> set[int]:
        """How many words from the start (of the reversed words, for "after") one or
        more of the lexicon's asides can cover."""
        assert self.lexicon is not None
        asides = [aside[::-1] if side == "after" else aside for aside in self.lexicon.asides[side]]
        reached, frontier = {0}, [0]
        while frontier:
            at = frontier.pop()
            for aside in asides:
                if tuple(words[at:at + len(aside)]) == aside and at + len(aside) not in reached:
                    reached.add(at + len(aside))
                    frontier.append(at + len(aside))
        return reached

    def _readable(self, frame: _Frame, value: str) -> bool:
        return self.lexicon is not None and self.lexicon.resolve(frame.slot_type, value) is not None

    def _carrier_words(self, frame: _Frame, words: list[str]) -> bool:
        """Words the samples say around slots ("cramping eh"), rather than a value the
        slot's type could hold ("not swollen", "elbow")."""
        if (frame.slot_type or "").startswith("AMAZON."):
            return False  # a time or a number is said in the words people use anywhere
        own = self.type_words.get(frame.slot_type or "", frozenset())
        return any(word in self.known and word not in own and word not in NEGATIONS
                   for word in words)

    def _slot_sized(self, frame: _Frame, value: str) -> bool:
        """A value Alexa would put in the slot: its known words, with at most one other
        word besides fillers and little words ("my kid wakes up with leg" is not one).
        A sign may say more ("numb and i can't feel my toes"): it is read whole, its
        negations and causes with it."""
        assert self.lexicon is not None and frame.slot_type
        if self.lexicon.listed(frame.slot_type, value) or frame.slot_type in SIGNS:
            return True
        words = value.split()
        inside = {at for start, end, _ in self.lexicon.known_words(frame.slot_type, value)
                  for at in range(start, end)}
        determiners = _determiners(self.lexicon.language)[0]
        others = [word for at, word in enumerate(words) if at not in inside
                  and word not in FILLERS and word not in determiners and word not in LINKS]
        return len(others) <= SLOT_EXTRA_WORDS

    def _loosely(self, words: list[str]) -> Optional[Match]:
        """The same words without fillers, in another order, or mostly the same words."""
        for key, mention in self._readings(words):
            loose = tuple(word for word in key if word not in FILLERS)
            for frame in (self.loose.get(loose), self.bags.get(tuple(sorted(loose)))):
                if frame:
                    return self._result(frame, mention)
        best = None
        for key, mention in self._readings(words):
            said = [word for word in key if word not in FILLERS]
            for sample in self._candidates(said):
                score, frame = self._overlap(said, sample), self.loose[sample]
                if frame and score >= CLOSE_ENOUGH and (best is None or score > best[0]):
                    best = (score, frame, mention)
        return self._result(best[1], best[2]) if best else None

    def _likely(self, words: list[str]) -> Optional[Match]:
        """The last resort, closest to how Alexa generalises: the intent whose samples
        the words are most like (naive Bayes over the model's own samples), when it is
        clearly ahead of the next; its slots filled from the words the lexicon knows,
        sent as the words said."""
        if self.lexicon is None:
            return None
        intent = self.naive_bayes.best(words)
        if intent is None or len(words) > LONGER_THAN_SAMPLES * self.longest[intent]:
            return None  # a sentence far longer than anything said for the intent is another's
        denied = any(map(self.lexicon.is_negation, words))
        if (intent, denied) in ((YES, True), (NO, False)):
            return None  # a guessed "yes" with a "not" in it, or a "no" without one
        slots: dict = {}
        for slot, slot_type in self.slot_types.get(intent, {}).items():
            starts = [start for start, _, _ in self.lexicon.known_words(slot_type, " ".join(words))]
            if starts:
                value = " ".join(words[max(0, min(starts) - NEGATION_REACH):])
                slots[slot] = (value, None)
        return Match(intent, slots)

    @cached_property
    def naive_bayes(self) -> _Bayes:
        """The last resort's counts, made the first time a line needs them, once per matcher."""
        return _Bayes(self)

    def _candidates(self, said: list[str]) -> set[tuple]:
        rare = sorted((word for word in set(said) if word in self.postings),
                      key=lambda word: len(self.postings[word]))[:2]
        return {key for word in rare for key in self.postings[word]}

    def _overlap(self, said: list[str], sample: tuple) -> float:
        """Weighted share of words in common; a slot or a 'not' must be on both sides."""
        said_set, sample_set = set(said), set(sample)
        for word in said_set ^ sample_set:
            if word.startswith("<") or word in NEGATIONS:
                return 0.0
        if self.lexicon is not None and (said_set - sample_set) & self.lexicon.qualifiers:
            return 0.0  # a word said that qualifies the rest ("passed out asleep") is not left out
        common = sum(self.weight.get(word, 1.0) for word in said_set & sample_set)
        precision = common / sum(self.weight.get(word, 1.0) for word in said_set)
        recall = common / sum(self.weight.get(word, 1.0) for word in sample_set)
        return 2 * precision * recall / (precision + recall) if common else 0.0

    def _readings(self, words: list[str]) -> Iterator[tuple[tuple, Optional[tuple]]]:
        """The words as they are, then with each slot type's listed value put in its place."""
        yield tuple(words), None
        for slot_type, table in self.slot_words.items():
            longest = max(map(len, table), default=0)
            for start in range(len(words)):
                for end in range(min(len(words), start + longest), start, -1):
                    value = table.get(tuple(words[start:end]))
                    if value:
                        key = (*words[:start], f"<{slot_type}>", *words[end:])
                        yield tuple(key), (slot_type, value)
                        break

    def _result(self, frame: _Frame, mention: Optional[tuple]) -> Match:
        if frame.slot and mention and mention[0] == frame.slot_type:
            return Match(frame.intent, {frame.slot: mention[1]})
        return Match(frame.intent)

    def _nearest(self, word: str) -> str:
        if word in self.known:
            return word
        close = difflib.get_close_matches(word, self.vocabulary, n=1, cutoff=NEAR_MISS)
        return close[0] if close else word

    def launch_or_one_shot(self, text: str) -> tuple[bool, Optional[str]]:
        """(True, None) for "open cramp coach"; (True, rest) for "ask cramp coach rest"."""
        said = normalise(text)
        for verb in LAUNCH_VERBS:
            if said in (verb, f"{verb} {self.invocation}"):
                return True, None
        if said == self.invocation:
            return True, None
        for verb in ONE_SHOT_VERBS:
            prefix = f"{verb} {self.invocation} "
            if said.startswith(prefix):
                rest = re.sub(r"^(to|for|if|about|whether|that|que|si)\s+", "",
                              said[len(prefix):])
                return True, rest
        return False, None


def _features(words: list[str]) -> set[str]:
    """Words, pairs of words and the character four-grams of each word."""
    found = set(words) | {f"{first}_{second}" for first, second in zip(words, words[1:])}
    for word in words:
        marked = f"<{word}>"
        found.update("#" + marked[at:at + 4] for at in range(len(marked) - 3))
    return found


class _Bayes:
    """Naive Bayes over a model's samples (slots as their type's name), weighted by how
    rare each feature is: a few seconds' counting, once per model."""

    def __init__(self, matcher: Matcher):
        counts: dict[str, dict[str, int]] = {}
        documents: dict[str, int] = defaultdict(int)
        for intent, phrases in matcher.samples.items():
            table = counts.setdefault(intent, defaultdict(int))
            for phrase in phrases:
                for feature in _features(normalise(phrase).split()):
                    table[feature] += 1
                    documents[feature] += 1
        self.intents = [intent for intent, table in counts.items() if table]
        total = len(self.intents)
        self.weight = {feature: math.log(1 + total / seen) for feature, seen in documents.items()}
        self.log_p: dict[str, dict[str, float]] = {}
        self.unseen: dict[str, float] = {}
        vocabulary = len(documents)
        for intent in self.intents:
            table = counts[intent]
            size = sum(table.values()) + 0.1 * vocabulary
            self.log_p[intent] = {feature: math.log((seen + 0.1) / size)
                                  for feature, seen in table.items()}
            self.unseen[intent] = math.log(0.1 / size)

    def best(self, words: list[str]) -> Optional[str]:
        features = [feature for feature in _features(words) if feature in self.weight]
        if not features:
            return None
        weight = sum(self.weight[feature] for feature in features)
        scores = sorted(((sum(self.weight[feature]
                              * self.log_p[intent].get(feature, self.unseen[intent])
                              for feature in features) / weight, intent)
                         for intent in self.intents), reverse=True)
        (first, intent), (second, _) = scores[0], scores[1]
        if intent == "AMAZON.FallbackIntent" or first - second < LIKELY:
            return None
        return intent


def load_model(locale: str) -> dict:
    """The locale's interaction model, marked with its locale so that a Matcher built
    on it hears with the locale's lexicon."""
    path = MODELS_DIR / f"{locale}.json"
    if not path.exists():
        raise SystemExit(f"No interaction model for locale {locale!r} in {MODELS_DIR}")
    model = json.loads(path.read_text(encoding="utf-8"))
    model[LOCALE_KEY] = locale
    return model
