"""Exports skill.json and interaction_models/ in the ASK CLI v2 layout.

    skill-package/skill.json
    skill-package/interactionModels/custom/<locale>.json
    skill-package/assets/images/*.png      (kept in the repository: tools/icons.py)

`ask deploy` (ask-resources.json names this folder) or the developer console's
JSON editor takes it as it is. Only the exported files are replaced; the icons
stay.

    python tools/skill_package.py [--output skill-package]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


ICONS = ROOT / "skill-package" / "assets"


def export(output: Path) -> list[Path]:
    models = output / "interactionModels" / "custom"
    if models.parent.exists():
        shutil.rmtree(models.parent)
    models.mkdir(parents=True)
    if output.resolve() != ICONS.parent.resolve():
        shutil.copytree(ICONS, output / "assets", dirs_exist_ok=True)
    written = [Path(shutil.copyfile(ROOT / "skill.json", output / "skill.json"))]
    for model in sorted((ROOT / "interaction_models").glob("*.json")):
        written.append(Path(shutil.copyfile(model, models / model.name)))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "skill-package")
    for path in export(parser.parse_args().output):
        print(path)


if __name__ == "__main__":
    main()
