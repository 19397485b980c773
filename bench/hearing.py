"""Three ways of hearing, side by side: exact matching (virtual-alexa), the console's
tolerant matcher and the NLU proxy, on the two development sets and on the blind set
(tests/routing/). Printed per intent and per locale; returned as figures.

The blind set is the figure that counts, and it is only ever read as figures:
no line of it is printed here.

Keys (`routing_<set>_...`, set = dev, dev2 or dev3 (development sets two and three) or blind;
way = va, console or proxy):
routing_<set>_<way>_en / _es   share of phrasings that reach their intent with their slot ids
routing_<set>_false_alarms_<way>   ordinary phrasings that reached a red flag with a sign
routing_<set>_wrong_<way>_en / _es   share of confident answers for another intent
routing_<set>_urgent_<way>     [reached, total]: phrasings of an urgent or emergency sign
                               that reached their tier
routing_<set>_per_locale       {locale: {way: share}}
routing_<set>_phrasings        how many phrasings the set has
routing_attack_false_alarms_<way>  the attack set (tests/routing/attack.json): ordinary
                               sentences made to trip a word-spotter that raised an alarm
routing_attack_urgent_<way>    [reached, total]: its real signs that reached their tier
"""

from __future__ import annotations

from tests import routing

SETS = {"dev": "development", "dev2": "development_2", "dev3": "development_3", "blind": "blind"}
ATTACK = "attack"  # read for its false alarms and its signs only: its ordinary lines want no intent
WAYS = ("va", "console", "proxy")
LANGUAGES = ("en", "es")


def measure() -> dict:
    figures: dict = {}
    chunks = [(name, language, routing.phrasing_set(name, language))
              for name in SETS.values() for language in LANGUAGES]
    chunks += [(ATTACK, language, routing.attack_set(language)) for language in LANGUAGES]
    everything = [phrasing for _, _, group in chunks for phrasing in group]
    heard = {way: routing.hear(routing.ROUTERS[way], everything) for way in WAYS}
    reports_of: dict = {name: {} for name in [*SETS.values(), ATTACK]}
    start = 0
    for name, language, group in chunks:  # one call per locale and way, then each set's share
        for way in WAYS:
            reports_of[name][way, language] = routing.score(
                group, heard[way][start:start + len(group)])
        start += len(group)
    for key, name in SETS.items():
        reports = reports_of[name]
        _print(name, reports)
        for way in WAYS:
            for language in LANGUAGES:
                report = reports[way, language]
                figures[f"routing_{key}_{way}_{language}"] = round(report.rate, 3)
                figures[f"routing_{key}_wrong_{way}_{language}"] = round(report.wrong_rate, 3)
            figures[f"routing_{key}_false_alarms_{way}"] = sum(
                reports[way, language].false_alarms for language in LANGUAGES)
            figures[f"routing_{key}_urgent_{way}"] = [
                sum(reports[way, language].urgent[index] for language in LANGUAGES)
                for index in (0, 1)]
        figures[f"routing_{key}_per_locale"] = {
            locale: {way: round(hits / total, 3) for way in WAYS
                     for hits, total in [reports[way, locale[:2]].per_locale[locale]]}
            for language in LANGUAGES for locale in reports["va", language].per_locale}
        figures[f"routing_{key}_phrasings"] = sum(reports["va", language].total
                                                  for language in LANGUAGES)
    attack = reports_of[ATTACK]
    print("\nattack set: false alarms, real signs at their tier (exact / console / proxy)")
    for way in WAYS:
        figures[f"routing_attack_false_alarms_{way}"] = sum(
            attack[way, language].false_alarms for language in LANGUAGES)
        figures[f"routing_attack_urgent_{way}"] = [
            sum(attack[way, language].urgent[index] for language in LANGUAGES) for index in (0, 1)]
        print(f"{way:<10}{figures[f'routing_attack_false_alarms_{way}']:>6} false alarms"
              f"{figures[f'routing_attack_urgent_{way}'][0]:>8} of "
              f"{figures[f'routing_attack_urgent_{way}'][1]} signs")
    return figures


def _print(name: str, reports: dict) -> None:
    print(f"\n{name} set: hits per intent (exact / console / proxy)")
    print(f"{'intent':<30}" + "".join(f"{language:>24}" for language in LANGUAGES))
    intents = sorted({intent for report in reports.values() for intent in report.per_intent})
    for intent in intents:
        cells = []
        for language in LANGUAGES:
            counts = [reports[way, language].per_intent.get(intent, (0, 0)) for way in WAYS]
            total = counts[0][1]
            cells.append(" / ".join(str(hits) for hits, _ in counts) + f" of {total}"
                         if total else "-")
        print(f"{intent:<30}" + "".join(f"{cell:>24}" for cell in cells))
    print(f"{'locale':<10}{'exact':>10}{'console':>10}{'proxy':>10}{'wrong (console)':>18}")
    for language in LANGUAGES:
        for locale in reports["va", language].per_locale:
            shares = [reports[way, language].per_locale[locale] for way in WAYS]
            print(f"{locale:<10}" + "".join(f"{hits / total:>10.3f}" for hits, total in shares))
        report = reports["console", language]
        print(f"{language + ' all':<10}" + "".join(
            f"{reports[way, language].rate:>10.3f}" for way in WAYS) + f"{report.wrong_rate:>18.3f}")
