"""Draws the skill's icons: a crescent moon over a leg stretched out, on night blue.

    python tools/icons.py [--output skill-package/assets/images]

Writes the two PNGs the skill manifest names (108 and 512 pixels square), with
the standard library only: shapes as distance functions, 2x2 supersampled for
smooth edges, written as 8-bit RGB with zlib. The same code gives the same bytes.
"""

from __future__ import annotations

import argparse
import math
import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = {"en-US_smallIconUri.png": 108, "en-US_largeIconUri.png": 512}
NIGHT = (20, 32, 43)
MOON = (224, 166, 75)
LEG = (127, 200, 192)
# The leg, as a path in a unit square: hip, knee (a little bent), heel, toes pulled up.
LEG_PATH = [(0.20, 0.30), (0.46, 0.50), (0.78, 0.62), (0.84, 0.46)]
LEG_WIDTH = 0.055


def _segment_distance(x: float, y: float, a: tuple, b: tuple) -> float:
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - ax - t * dx, y - ay - t * dy)


def colour_at(x: float, y: float) -> tuple[int, int, int]:
    """The colour of a point of the unit square."""
    in_moon = (math.hypot(x - 0.30, y - 0.78) < 0.14) and (math.hypot(x - 0.36, y - 0.73) > 0.12)
    if in_moon:
        return MOON
    if min(_segment_distance(x, y, a, b) for a, b in zip(LEG_PATH, LEG_PATH[1:])) < LEG_WIDTH:
        return LEG
    return NIGHT


def pixels(size: int) -> bytes:
    rows = bytearray()
    for row in range(size):
        rows.append(0)  # filter type: none
        for column in range(size):
            samples = [colour_at((column + dx) / size, 1 - (row + dy) / size)
                       for dx in (0.25, 0.75) for dy in (0.25, 0.75)]
            rows.extend(sum(sample[channel] for sample in samples) // 4 for channel in range(3))
    return bytes(rows)


def png(size: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(pixels(size), 9)) + chunk(b"IEND", b""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path,
                        default=ROOT / "skill-package" / "assets" / "images")
    output = parser.parse_args().output
    output.mkdir(parents=True, exist_ok=True)
    for name, size in ICONS.items():
        (output / name).write_bytes(png(size))
        print(output / name)


if __name__ == "__main__":
    main()
