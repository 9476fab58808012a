"""Draw the app's PNG icons (a white leaf-like "P" mark on green) with zlib and struct only.

Run ``python pulih/fieldapp/make_icons.py``; the files are committed.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

GREEN = (11, 110, 79)
WHITE = (255, 255, 255)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def _pixel(x: float, y: float) -> tuple[int, int, int]:
    # Coordinates in 0..1. A ring (the "P" bowl) on a stem, inside the maskable safe zone.
    dx, dy = x - 0.55, y - 0.40
    ring = 0.10**2 <= dx * dx + dy * dy <= 0.18**2
    stem = 0.32 <= x <= 0.42 and 0.22 <= y <= 0.80
    return WHITE if ring or stem else GREEN


def png(size: int) -> bytes:
    rows = b"".join(
        b"\x00" + b"".join(bytes(_pixel((i + 0.5) / size, (j + 0.5) / size)) for i in range(size))
        for j in range(size)
    )
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 9))
        + _chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    out = Path(__file__).resolve().parent / "static" / "fieldapp" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        (out / f"icon-{size}.png").write_bytes(png(size))
