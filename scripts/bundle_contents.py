"""What goes into the PyInstaller bundle: the one place for the Qt module lists, the Qt plugin
table, the libraries left to the user's system and the size budget, and the pruning they drive.

build.spec, scripts/dist.sh (the budget) and bench/frozen.py (the bare window's bundle) read
them from here; tests/unit/scripts/test_bundle_contents.py tests every rule on made-up entries.

PyInstaller's Qt hooks collect every plugin of each Qt module the app imports, and with them
whatever system libraries those plugins link to (the GTK theme plugin alone drags in GTK,
GDK, cairo, pango, ATK...). Task Desk is a plain Qt Widgets app, so the Qt plugins below are
kept by name and the rest is dropped; then every library that only the dropped files needed
is dropped too (found from the binaries' own link tables, so nothing a kept file needs goes).

Entries are PyInstaller's TOC entries: (name in the bundle, source path, typecode).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

Entry = tuple[str, str, str]

# The bundle's size limit, `du -sm dist/TaskDesk` on Linux: a bigger bundle means the rules
# below let unused Qt plugins or libraries through (scripts/dist.sh fails, bench reports it).
SIZE_BUDGET_MB = 130

# The tables below are laid out by hand, grouped as their comments explain.
# fmt: off

# --- Qt modules ----------------------------------------------------------------------------

# The Qt modules the app imports; every other binding is excluded from the analysis.
QT_MODULES_USED = ("QtCore", "QtGui", "QtWidgets", "QtNetwork")

# PySide6 bindings the app never imports (PyInstaller's `excludes`).
UNUSED_QT_BINDINGS = (
    "QtDBus", "QtQml", "QtQuick", "QtQuickWidgets", "QtQuickControls2", "QtOpenGL",
    "QtOpenGLWidgets", "QtPdf", "QtPdfWidgets", "QtSvg", "QtSvgWidgets", "QtSql",
    "QtPrintSupport", "QtMultimedia", "QtMultimediaWidgets", "QtWebEngineCore",
    "QtWebEngineWidgets", "QtWebChannel", "Qt3DCore", "QtCharts", "QtDesigner", "QtHelp",
    "QtUiTools", "QtTest", "QtXml", "QtConcurrent", "QtStateMachine", "QtVirtualKeyboard",
)

# Qt libraries (name prefixes after "Qt"/"Qt6") of modules the app does not use, should any
# hook or dependency bring them in. Not the list above: the kept plugins link to some Qt
# libraries whose bindings are excluded (DBus, OpenGL, Svg, Xml stay as libraries).
UNUSED_QT_LIBRARIES = (
    "Quick", "Qml", "Pdf", "3D", "Multimedia", "WebEngine", "WebChannel", "WebView",
    "VirtualKeyboard", "OpenGLWidgets", "Labs", "Lottie", "Designer", "Help", "UiTools",
    "Test", "Sql", "Charts", "DataVisualization", "Graphs", "EglFS", "EglFs",
    "WaylandCompositor", "WaylandEgl", "WlShellIntegration", "ShaderTools", "SpatialAudio",
    "Positioning", "Location", "Sensors", "SerialPort", "Bluetooth", "Nfc", "RemoteObjects",
    "Scxml", "StateMachine", "TextToSpeech", "HttpServer", "SvgWidgets", "PrintSupport",
)

EXCLUDES = [
    # Standard library parts nothing in the app uses.
    "tkinter", "_tkinter", "turtle", "turtledemo", "idlelib", "unittest", "doctest", "pydoc",
    "pydoc_data", "pdb", "test", "lib2to3", "distutils", "ensurepip", "venv", "curses",
    # Only concurrent.futures' process pool needs it (anyio and jeepney use its Future); kept
    # in, PyInstaller's runtime hook imports multiprocessing at every start (~20 ms).
    "multiprocessing", "concurrent.futures.process",
    # Development tools present in the build venv; httpx imports pygments/click/rich only for
    # its own command line (`httpx` CLI), inside a try/except ImportError.
    "setuptools", "pkg_resources", "pip", "pytest", "_pytest", "pytestqt", "pygments", "click",
    "rich", "mypy", "ruff", "IPython",
    *(f"PySide6.{module}" for module in UNUSED_QT_BINDINGS),
]

# --- Qt plugins ----------------------------------------------------------------------------

# Qt plugins kept, by folder; a folder listed with an empty set is dropped entirely. Names
# are without the "lib" prefix and the extension (.so/.dylib/.dll), so one table serves
# Linux, macOS and Windows. Folders not listed here are kept, and reported, so a new PySide6
# release cannot silently lose something it needs.
KEEP_PLUGINS: dict[str, frozenset[str]] = {
    # Display backends: X11, Wayland, macOS, Windows, and offscreen (the tests, CI and
    # `--self-check` without a display). eglfs/linuxfb/vnc/minimal/vkkhrdisplay are for
    # embedded devices or debugging.
    "platforms": frozenset({"qxcb", "qwayland", "qoffscreen", "qcocoa", "qwindows"}),
    # The GTK 3 theme plugin would bundle the build machine's GTK stack (about 15 MB) and can
    # clash with the user's; the xdg-desktop-portal one only serves Flatpak/Snap file dialogs.
    # Qt's built-in GNOME/KDE themes still apply without them.
    "platformthemes": frozenset(),
    # Compose keys/dead keys on X11 and IBus input methods; the virtual keyboard plugin
    # would pull in QtQuick and QML.
    "platforminputcontexts": frozenset(
        {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"}
    ),
    # The window icon is PNGs (built into QtGui); the SVG engine serves themed icons.
    "iconengines": frozenset({"qsvgicon"}),
    "imageformats": frozenset({"qsvg", "qico"}),
    # QNetworkInformation (reachability): NetworkManager and ConnMan over D-Bus, Windows'
    # Network List Manager, macOS' SystemConfiguration. The GLib backend is left out: it
    # links GIO, which would then load the system's GIO modules with a bundled libgio.
    # Without any backend the app falls back to its own probe.
    "networkinformation": frozenset({
        "qnetworkmanager", "qconnman", "qnetworklistmanager", "qscnetworkreachability",
        "qapplenetworkinformation",
    }),
    # httpx (Python's ssl) makes every HTTPS request; Qt's TLS backends are never used.
    "tls": frozenset(),
    # evdev/tslib/TUIO input: only for eglfs/linuxfb on devices without a window system.
    "generic": frozenset(),
    "egldeviceintegrations": frozenset(),
    # OpenGL for xcb windows: a few hundred kB, kept so that any GL use (e.g. by a style or
    # a future widget) does not fail on X11.
    "xcbglintegrations": frozenset({"qxcb-glx-integration", "qxcb-egl-integration"}),
    # Wayland: xdg-shell is what desktop compositors speak; ivi-shell (cars),
    # fullscreen-shell, wl-shell (deprecated) and qt-shell (QtWaylandCompositor) are not.
    "wayland-shell-integration": frozenset({"xdg-shell"}),
    "wayland-decoration-client": frozenset({"bradient", "adwaita"}),
    # The *-server plugins share buffers with a QtWaylandCompositor; wayland-egl stays for GL.
    "wayland-graphics-integration-client": frozenset({"qt-plugin-wayland-egl"}),
    "wayland-graphics-integration-server": frozenset(),
    # Never loaded by a Widgets app that does not use these modules.
    **dict.fromkeys(
        ("qmltooling", "qmllint", "designer", "sqldrivers", "printsupport",
         "vectorimageformats", "position", "multimedia", "renderers", "sceneparsers",
         "geometryloaders", "virtualkeyboard", "texttospeech", "webview"),
        frozenset(),
    ),
}

# --- Libraries -----------------------------------------------------------------------------

# Linux libraries taken from the user's system rather than from the build machine, as the
# AppImage/linuxdeployqt exclude list does: they are on every desktop (scripts/bootstrap.sh
# lists them as what Qt needs), and a bundled copy older than the system's breaks things:
# - libstdc++/libgcc_s: the system's Mesa (libGL/EGL drivers, loaded into this process) may
#   need a newer GLIBCXX than the bundled one ("GLIBCXX_3.4.32 not found"). The bundle needs
#   glibc >= 2.34 anyway, and every such distribution has the GLIBCXX_3.4.29 Qt 6.11 asks for.
# - fontconfig/freetype/expat: must match the system's /etc/fonts configuration.
# - glib (and libgthread, part of it): its modules (GIO, input methods) come from the system.
# - libX11/libz/libgpg-error/libcom_err: core libraries, always present, ABI-stable.
# Libraries only these needed (libpng, brotli, pcre2...) then go in the dependency pass.
LINUX_SYSTEM_LIBRARIES = frozenset({
    "libstdc++.so.6", "libgcc_s.so.1", "libfontconfig.so.1", "libfreetype.so.6",
    "libexpat.so.1", "libglib-2.0.so.0", "libgthread-2.0.so.0", "libX11.so.6", "libz.so.1",
    "libgpg-error.so.0", "libcom_err.so.2",
})

# fmt: on

UNUSED_QT_LIBRARY = re.compile(
    r"(?:^|[/\\])(?:lib)?Qt6?(?:" + "|".join(UNUSED_QT_LIBRARIES) + r")\w*"
    r"(?:\.framework[/\\]|\.so|\.dylib|\.dll)",
    re.IGNORECASE,
)
PLUGIN_PATH = re.compile(r"^PySide6[/\\](?:Qt[/\\])?plugins[/\\]([^/\\]+)[/\\]([^/\\]+)$")
TRANSLATIONS = re.compile(r"^PySide6[/\\](?:Qt[/\\])?translations[/\\]")
TCL_TK = re.compile(r"^_?tcl|^_?tk|^tcl8|^tk8")
EXTENSION_MODULE = re.compile(r"(?:\.cpython-[^/\\]*|\.abi3)\.so$|\.pyd$")
FRAMEWORK = re.compile(r".*?\.framework[/\\]")

QT_PLUGIN = "Qt plugin the app does not use"
QT_TRANSLATION = "Qt translation"
QT_LIBRARY = "Qt library of an unused module"
TCL = "Tcl/Tk (no tkinter)"
SYSTEM_LIBRARY = "library the desktop provides"
ONLY_FOR_DROPPED = "library needed only by dropped files"
IN_DROPPED_FRAMEWORK = "part of a dropped framework"
DANGLING_SYMLINK = "symlink to a dropped library"


def plugin_name(filename: str) -> str:
    """'libqxcb.so' -> 'qxcb': the plugin's name on every platform."""
    stem = re.sub(r"(?:\.so|\.dylib|\.dll)$", "", filename, flags=re.IGNORECASE)
    return stem[3:] if stem.startswith("lib") else stem


def unknown_plugin_folder(dest: str) -> str | None:
    """The Qt plugin folder of `dest` if KEEP_PLUGINS does not list it (it is then kept)."""
    match = PLUGIN_PATH.match(dest)
    if match and match.group(1) not in KEEP_PLUGINS:
        return match.group(1)
    return None


def dropped_by_rule(dest: str, platform: str = sys.platform) -> str | None:
    """Why an entry goes by the tables above, or None to keep it (before the dependency pass)."""
    match = PLUGIN_PATH.match(dest)
    if match:
        folder, filename = match.groups()
        if folder in KEEP_PLUGINS and plugin_name(filename) not in KEEP_PLUGINS[folder]:
            return QT_PLUGIN
        return None
    if TRANSLATIONS.match(dest):
        # Qt's own translations (dialog buttons...): the app installs no QTranslator and its
        # texts are English.
        return QT_TRANSLATION
    if UNUSED_QT_LIBRARY.search(dest):
        return QT_LIBRARY
    if TCL_TK.match(dest):
        return TCL
    if platform.startswith("linux") and dest in LINUX_SYSTEM_LIBRARIES:
        return SYSTEM_LIBRARY
    return None


def link_name(name: str, platform: str = sys.platform) -> str:
    """The file name a library is referred to by: 'libX.so.6', 'QtGui' (macOS), 'x.dll'."""
    name = os.path.basename(name.replace("\\", "/"))
    return name.lower() if platform == "win32" else name


def linked_libraries(path: str, platform: str = sys.platform) -> set[str]:
    """The libraries the binary at `path` links to directly, by link name."""
    if platform.startswith("linux"):
        # ldd (what PyInstaller's get_imports runs here) lists indirect dependencies too,
        # including those of the system libraries excluded above; DT_NEEDED does not.
        # objdump comes with strip (binutils), which this build needs anyway.
        try:
            done = subprocess.run(  # noqa: S603 - a fixed tool on a file of the build
                ["objdump", "-p", path],  # noqa: S607 - binutils from PATH, as PyInstaller does
                capture_output=True,
                text=True,
                check=False,
            )
        except FileNotFoundError:
            raise SystemExit("build.spec needs objdump and strip: install binutils") from None
        return set(re.findall(r"^\s+NEEDED\s+(\S+)$", done.stdout, re.MULTILINE))
    from PyInstaller.depend import bindepend  # only in the build environment

    try:
        found = bindepend.get_imports(path)
    except Exception:  # not a binary PyInstaller can read: keep its dependencies as is
        return set()
    return {link_name(name, platform) for name, _ in found}


@dataclass
class Pruned:
    """The entries kept, and why each dropped one went (by its name in the bundle)."""

    binaries: list[Entry]
    datas: list[Entry]
    reasons: dict[str, str] = field(default_factory=dict)
    unknown_plugin_folders: set[str] = field(default_factory=set)

    def report(self, verbose: bool = False) -> list[str]:
        """The lines build.spec prints: a count per reason (every file with `verbose`)."""
        lines = []
        if verbose:
            lines += [f"build.spec: dropped {d}: {self.reasons[d]}" for d in sorted(self.reasons)]
        counts = Counter(self.reasons.values())
        lines.append(
            "build.spec: dropped " + ", ".join(f"{n} x {why}" for why, n in sorted(counts.items()))
        )
        if self.unknown_plugin_folders:
            folders = ", ".join(sorted(self.unknown_plugin_folders))
            lines.append(
                f"build.spec: kept Qt plugin folders that KEEP_PLUGINS does not list: {folders}"
            )
        return lines


def prune(
    binaries: Sequence[Entry],
    datas: Sequence[Entry],
    imports: Callable[[str], Iterable[str]],
    platform: str = sys.platform,
) -> Pruned:
    """Drop the entries the tables reject, then the libraries only they needed.

    `imports(path)` gives the link names of the libraries the binary at `path` (an entry's
    source) links to directly: linked_libraries in a build, a table in the tests.
    """
    by_name: dict[str, list[Entry]] = {}
    for entry in binaries:
        by_name.setdefault(link_name(entry[0], platform), []).append(entry)

    def closure(entries: Iterable[Entry], skip: Iterable[str] = ()) -> set[str]:
        skipped, seen, todo = set(skip), set(), list(entries)
        while todo:
            entry = todo.pop()
            if entry[0] in seen or entry[0] in skipped:
                continue
            seen.add(entry[0])
            for name in imports(entry[1]):
                todo.extend(by_name.get(name, ()))
        return seen

    result = Pruned([], [])
    reasons = result.reasons
    for entry in binaries:
        why = dropped_by_rule(entry[0], platform)
        if why:
            reasons[entry[0]] = why
    removed = [e for e in binaries if e[0] in reasons]
    # Libraries reachable from the dropped files, minus the dropped files themselves...
    dragged_in = closure(removed) - set(reasons)
    # ...go only if nothing kept needs them. Extension modules are never pruned this way.
    kept_roots = [e for e in binaries if e[0] not in reasons and e[0] not in dragged_in]
    still_needed = closure(kept_roots, skip=reasons)
    for dest in dragged_in - still_needed:
        if not EXTENSION_MODULE.search(dest):
            reasons[dest] = ONLY_FOR_DROPPED

    # On macOS a dropped framework takes its Resources/ with it; on Linux PyInstaller adds
    # top-level symlinks to some libraries (typecode SYMLINK), which must not dangle.
    frameworks = {m.group(0) for d in reasons if (m := FRAMEWORK.match(d))}
    dropped_names = {link_name(d, platform) for d in reasons}

    def keep(entry: Entry) -> bool:
        dest, _, typecode = entry
        folder = unknown_plugin_folder(dest)
        if folder:
            result.unknown_plugin_folders.add(folder)
        if dest in reasons:
            return False
        if any(dest.startswith(fw) for fw in frameworks):
            reasons[dest] = IN_DROPPED_FRAMEWORK
            return False
        if typecode == "SYMLINK" and link_name(dest, platform) in dropped_names:
            reasons[dest] = DANGLING_SYMLINK
            return False
        why = dropped_by_rule(dest, platform)
        if why:
            reasons[dest] = why
            return False
        return True

    result.binaries = [e for e in binaries if keep(e)]
    result.datas = [e for e in datas if keep(e)]
    return result


if __name__ == "__main__":
    # `python scripts/bundle_contents.py budget`: the size budget, for scripts/dist.sh.
    if sys.argv[1:] != ["budget"]:
        raise SystemExit("usage: python scripts/bundle_contents.py budget")
    print(SIZE_BUDGET_MB)
