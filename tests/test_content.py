"""Content files: every health statement names known sources, in every locale,
and nothing unsafe is ever in what the skill can say."""

import copy
import json
import string
from pathlib import Path

import pytest

from skill import content as content_files
from skill.content import Content, ContentError
from tests.speech import assert_safe_speech

LOCALES = ["en", *content_files.supported_locales()]
BASE = json.loads((Path(content_files.CONTENT_DIR) / "en.json").read_text())


def sourced_entries(raw: dict):
    """Every entry of a content file that states a health fact, with where it is."""
    for key, step in raw.get("steps", {}).items():
        yield f"steps.{key}", step
    for key, answer in raw.get("answers", {}).items():
        parts = answer.get("tiers") or answer.get("tips")
        if parts:
            yield from ((f"answers.{key}[{i}]", part) for i, part in enumerate(parts))
        elif "say" in answer:
            yield f"answers.{key}", answer


@pytest.mark.parametrize("path", sorted(Path(content_files.CONTENT_DIR).glob("*.json")),
                         ids=lambda path: path.name)
def test_every_health_statement_in_every_content_file_names_known_sources(path):
    raw = json.loads(path.read_text())
    known = set(BASE["sources"]) | set(raw.get("sources", {}))
    for where, entry in sourced_entries(raw):
        assert entry.get("sources"), f"{path.name} {where}: no sources"
        assert set(entry["sources"]) <= known, f"{path.name} {where}: unknown source"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_loads_and_says_nothing_unsafe(locale):
    content = content_files.load(locale)
    # A phrase's runtime names ("Step {step} of {steps}") are filled when it is used.
    spoken = [text.format_map({name: 1 for _, name, _, _ in string.Formatter().parse(text)
                               if name})
              for text in content.phrases.values()]
    spoken += [str(segment) for step in content.steps.values() for segment in step.say]
    spoken += [step.prompt + step.reprompt for step in content.steps.values()]
    spoken += [str(segment) for answer in content.answers.values()
               for part in answer.parts for segment in part.say]
    for text in spoken:
        assert "{" not in text and "}" not in text, text
        assert_safe_speech(text)


def broken(change) -> dict:
    raw = copy.deepcopy(BASE)
    change(raw)
    return raw


@pytest.mark.parametrize("change, message", [
    (lambda raw: raw["answers"]["causes"].pop("sources"), "needs its sources"),
    (lambda raw: raw["steps"]["massage"].update(sources=["Wikipedia"]), "unknown sources"),
    (lambda raw: raw["answers"]["see_doctor"]["tiers"][1].update(sources=[]), "needs its sources"),
    (lambda raw: raw["steps"]["walk"].update(say=["Walk.", {"pause": 11}]), "1 to 10 s"),
    (lambda raw: raw["phrases"].update(goodbye="Call {nobody}"), "no value for"),
    (lambda raw: raw["routines"]["calf"].update(steps=["no_such_step"]), "unknown or no steps"),
])
def test_a_bad_content_edit_is_refused_at_load(change, message):
    with pytest.raises(ContentError, match=message):
        Content("en-US", broken(change))


def test_unknown_locales_fall_back_to_the_english_base():
    assert content_files.load("de-DE").locale == "en"
    assert content_files.load("de-DE").value("emergency_number") == "your local emergency number"
