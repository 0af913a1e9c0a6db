"""Render Task Desk's icons from resources/icon.svg, the single source.

Writes resources/icons/task-desk-{16..512}.png (freedesktop hicolor sizes),
resources/task-desk.ico (Windows, PNG entries 16..256) and resources/task-desk.icns
(macOS, PNG entries 16..1024). Only PySide6 is needed; the output is byte-for-byte
the same on every run with the same Qt.

    QT_QPA_PLATFORM=offscreen python scripts/make_icons.py [--check]

--check parses the existing ICO/ICNS/PNG files back and fails if any is missing or wrong.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
SOURCE = RESOURCES / "icon.svg"
PNG_DIR = RESOURCES / "icons"
ICO = RESOURCES / "task-desk.ico"
ICNS = RESOURCES / "task-desk.icns"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_TYPES = {  # OSType -> pixel size; all take PNG payloads on macOS 10.7+
    b"icp4": 16,
    b"icp5": 32,
    b"icp6": 64,
    b"ic07": 128,
    b"ic08": 256,
    b"ic09": 512,
    b"ic10": 1024,
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    """The SVG drawn onto a transparent size x size canvas, encoded as PNG."""
    image = QImage(QSize(size, size), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()  # quality 0 = maximum zlib compression (lossless either way)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # The stubs want bytes for the format, the runtime only accepts str.
    png_ok = image.convertToFormat(QImage.Format.Format_ARGB32).save(
        buffer,
        "PNG",  # type: ignore[call-overload,unused-ignore]
        0,
    )
    if not png_ok:
        raise RuntimeError(f"cannot encode the {size}px PNG")
    buffer.close()
    return bytes(data.data())


def build_ico(pngs: dict[int, bytes]) -> bytes:
    """An ICO container (ICONDIR + ICONDIRENTRYs) holding PNG-compressed images."""
    header = struct.pack("<HHH", 0, 1, len(ICO_SIZES))
    offset = len(header) + 16 * len(ICO_SIZES)
    entries, payload = b"", b""
    for size in ICO_SIZES:
        data = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        payload += data
        offset += len(data)
    return header + entries + payload


def build_icns(pngs: dict[int, bytes]) -> bytes:
    """An ICNS container: 'icns' + total length, then (type, length, PNG) elements."""
    body = b"".join(
        ostype + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
        for ostype, size in ICNS_TYPES.items()
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    if data[:8] != PNG_SIGNATURE or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def check_ico(data: bytes) -> list[int]:
    """Parse an ICO back; return its image sizes or raise ValueError."""
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    if (reserved, kind) != (0, 1):
        raise ValueError("bad ICONDIR")
    sizes = []
    for index in range(count):
        w, h, _, _, planes, bpp, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        real = png_size(data[offset : offset + length])
        if real != (w or 256, h or 256) or (planes, bpp) != (1, 32):
            raise ValueError(f"ICO entry {index} says {w}x{h}, holds {real}")
        if offset + length > len(data):
            raise ValueError(f"ICO entry {index} runs past the end")
        sizes.append(real[0])
    return sizes


def check_icns(data: bytes) -> dict[str, int]:
    """Parse an ICNS back; return {type: size} or raise ValueError."""
    magic, total = struct.unpack_from(">4sI", data, 0)
    if magic != b"icns" or total != len(data):
        raise ValueError("bad ICNS header")
    found: dict[str, int] = {}
    pos = 8
    while pos < total:
        ostype, length = struct.unpack_from(">4sI", data, pos)
        width, height = png_size(data[pos + 8 : pos + length])
        if width != height or ICNS_TYPES.get(ostype) != width:
            raise ValueError(f"ICNS {ostype!r} holds {width}x{height}")
        found[ostype.decode()] = width
        pos += length
    if pos != total:
        raise ValueError("ICNS elements overrun the container")
    return found


def check() -> int:
    """Verify the generated files; print a summary and return an exit code."""
    try:
        for size in PNG_SIZES:
            path = PNG_DIR / f"task-desk-{size}.png"
            if png_size(path.read_bytes()) != (size, size):
                raise ValueError(f"{path.name} is not {size}x{size}")
        ico_sizes = check_ico(ICO.read_bytes())
        icns_types = check_icns(ICNS.read_bytes())
    except (OSError, ValueError, struct.error) as exc:
        print(f"icon check failed: {exc}", file=sys.stderr)
        return 1
    if ico_sizes != list(ICO_SIZES) or set(icns_types) != {t.decode() for t in ICNS_TYPES}:
        print(f"icon check failed: ICO {ico_sizes}, ICNS {icns_types}", file=sys.stderr)
        return 1
    print(f"PNG {list(PNG_SIZES)}; ICO {ico_sizes}; ICNS {icns_types}")
    return 0


def generate() -> int:
    """Render every size and write the PNG, ICO and ICNS files."""
    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"cannot read {SOURCE}", file=sys.stderr)
        return 1
    sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | set(ICNS_TYPES.values()))
    pngs = {size: render_png(renderer, size) for size in sizes}
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    for size in PNG_SIZES:
        (PNG_DIR / f"task-desk-{size}.png").write_bytes(pngs[size])
    ICO.write_bytes(build_ico(pngs))
    ICNS.write_bytes(build_icns(pngs))
    del app
    return check()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="only verify the existing files")
    args = parser.parse_args(argv)
    return check() if args.check else generate()


if __name__ == "__main__":
    sys.exit(main())
