"""Builds every locale's interaction model from its grammar: `make models`.

A grammar (interaction_models/grammar/) lists, per intent, a few templates in
the syntax of the npm package alexa-utterances: `{a|b|}` is a choice (an empty
choice makes words optional), `{name}` expands a named list from the grammar's
dictionary, and `{-|slot}` is a slot. Expanding every template gives the
intent's samples. The English base (en.json) holds what the English locales
share; a locale file (en-GB.json, ...) replaces dictionary lists, adds or
replaces slot values and adds templates in that locale's own idiom.

The expander follows alexa-utterances 0.2.1 (exhaustive mode) exactly, so that
tests/test_grammar.py can hold it to that package's own output; it is stricter
only in refusing what would be a silent typo there: a `{word}` that names no list.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from skill.understanding import Lexicon  # noqa: E402  (the lexicon needs only the standard library)

MODELS_DIR = ROOT / "interaction_models"
GRAMMAR_DIR = MODELS_DIR / "grammar"
BASE = {"en": "en", "es": "es"}  # a locale's language: that base plus the locale file
BRACE = re.compile(r"\{([^}]+)\}")
SLOT_LITERAL = "{-|"
NUMBER_RANGE = re.compile(r"(\d+)\s*-\s*(\d+)")


class GrammarError(ValueError):
    """A grammar that would build a wrong or invalid model."""


def expand(template: str, dictionary: dict[str, list[str]]) -> list[str]:
    """Every sample a template stands for, in alexa-utterances' order."""
    choices: list[list[str]] = []

    def take(found: re.Match) -> str:
        if found.group(0).startswith(SLOT_LITERAL):
            return found.group(0)
        alternatives = found.group(1).split("|")
        values: list[str] = []
        for alternative in alternatives:
            if alternative in dictionary:
                values.extend(dictionary[alternative])
            elif NUMBER_RANGE.search(alternative):
                raise GrammarError(f"{template!r}: number ranges are not used; spell numbers out")
            elif len(alternatives) == 1:
                raise GrammarError(f"{template!r}: no list named {alternative!r}")
            else:
                values.append(alternative)
        choices.append(values)
        return "{%d}" % (len(choices) - 1)

    skeleton = BRACE.sub(take, template)
    # js-combinatorics' cartesian product varies the first choice fastest.
    combinations = ([tuple(reversed(combo)) for combo in itertools.product(*reversed(choices))]
                    if choices else [()])
    return [re.sub(r"\{(\d+)\}", lambda found, combo=combo: combo[int(found.group(1))], skeleton)
            .replace(SLOT_LITERAL, "{") for combo in combinations]


def tidy(sample: str) -> str:
    """A sample as the model stores it: lower case, single spaces."""
    return " ".join(sample.lower().split())


def load_grammar(locale: str) -> dict:
    """The locale's grammar: the language's base with the locale file laid over it, and
    the slot values of the locale's lexicon (skill/lexicon/, the one list of them)."""
    language = locale.split("-")[0]
    with open(GRAMMAR_DIR / f"{BASE[language]}.json", encoding="utf-8") as base_file:
        grammar = json.load(base_file)
    overlay_path = GRAMMAR_DIR / f"{locale}.json"
    overlay = {}
    if overlay_path.exists():
        with open(overlay_path, encoding="utf-8") as overlay_file:
            overlay = json.load(overlay_file)
    if "types" in grammar or "types" in overlay:
        raise GrammarError(f"{locale}: slot values belong in skill/lexicon/, not the grammar")
    grammar["types"] = Lexicon.load(locale).types
    if overlay:
        grammar["dictionary"].update(overlay.get("dictionary", {}))
        if "nameFree" in overlay:
            grammar["nameFree"] = overlay["nameFree"]
        for intent_name, more in overlay.get("intents", {}).items():
            intent = grammar["intents"][intent_name]
            if "templates" in more:
                intent["templates"] = more["templates"]
            intent.setdefault("templates", []).extend(more.get("add", []))
    return grammar


def build_model(locale: str) -> dict:
    """The interaction model a locale's grammar expands to, checked as it is built."""
    grammar = load_grammar(locale)
    dictionary = grammar["dictionary"]
    owner: dict[str, str] = {}
    intents = []
    for name, spec in grammar["intents"].items():
        slots = spec.get("slots", {})
        samples: list[str] = []
        for template in spec.get("templates", []):
            for sample in map(tidy, expand(template, dictionary)):
                used = re.findall(r"\{(\w+)\}", sample)
                if len(used) > 1 or not set(used) <= set(slots):
                    raise GrammarError(f"{name}: {sample!r} needs one declared slot at most")
                if sample in owner and owner[sample] != name:
                    raise GrammarError(f"{sample!r} is a sample of {owner[sample]} and {name}")
                if sample not in owner:
                    owner[sample] = name
                    samples.append(sample)
        intent = {"name": name, "samples": samples}
        if slots:
            intent["slots"] = [{"name": slot, "type": slot_type}
                               for slot, slot_type in slots.items()]
        intents.append(intent)
    types = [{"name": type_name,
              "values": [{"id": value_id,
                          "name": {"value": words[0], "synonyms": words[1:]}}
                         for value_id, words in values.items()]}
             for type_name, values in grammar["types"].items()]
    model = {"interactionModel": {"languageModel": {
        "invocationName": grammar["invocationName"], "intents": intents, "types": types}}}
    if "nameFree" in grammar:
        model["interactionModel"]["_nameFreeInteraction"] = name_free(grammar["nameFree"], owner)
    return model


MAX_NAME_FREE_PHRASES = 5  # Alexa's limit per ingress point


def name_free(spec: dict, owner: dict[str, str]) -> dict:
    """The model's name-free ingress points: LAUNCH, then one per intent. Each
    phrase is complete (no slots), at most five per point, and an intent's
    phrases are understood as that intent by the model itself."""
    points = [("LAUNCH", None, spec["launch"])] + [
        ("INTENT", name, phrases) for name, phrases in spec.get("intents", {}).items()]
    ingress = []
    for kind, name, phrases in points:
        if not phrases or len(phrases) > MAX_NAME_FREE_PHRASES:
            raise GrammarError(f"name-free {name or kind}: 1 to {MAX_NAME_FREE_PHRASES} phrases")
        for phrase in phrases:
            if "{" in phrase or tidy(phrase) != phrase:
                raise GrammarError(f"name-free {phrase!r}: a complete phrase, without slots")
            if name and not _understood_as(phrase, name, owner):
                raise GrammarError(f"name-free {phrase!r} is not a sample of {name}")
        point = {"type": kind, "sampleUtterances": [{"format": "RAW_TEXT", "value": phrase}
                                                     for phrase in phrases]}
        if name:
            point["name"] = name
        ingress.append(point)
    return {"ingressPoints": ingress}


def _understood_as(phrase: str, intent: str, owner: dict[str, str]) -> bool:
    """The phrase is a sample of the intent, as it is or with words in its slot."""
    if owner.get(phrase) == intent:
        return True
    return any(name == intent and "{" in sample
               and re.fullmatch(re.sub(r"\\\{\w+\\\}", "(.+)", re.escape(sample)), phrase)
               for sample, name in owner.items())


def model_text(model: dict) -> str:
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def locales() -> list[str]:
    """Every locale with a grammar file of its own."""
    return sorted(path.stem for path in GRAMMAR_DIR.glob("*-*.json"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a checked-in model is not its grammar's expansion")
    args = parser.parse_args(argv)
    stale = []
    for locale in locales():
        text = model_text(build_model(locale))
        path = MODELS_DIR / f"{locale}.json"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(locale)
        else:
            path.write_text(text, encoding="utf-8")
            intents = json.loads(text)["interactionModel"]["languageModel"]["intents"]
            print(f"{path.relative_to(ROOT)}: "
                  f"{sum(len(intent['samples']) for intent in intents)} samples")
    if stale:
        print(f"Out of date (run `make models`): {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
