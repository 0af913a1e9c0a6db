"""The bundle's pruning rules (scripts/bundle_contents.py), on entries shaped like PyInstaller's
TOC entries: (name in the bundle, source path, typecode)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from scripts import bundle_contents as bc
from scripts.bundle_contents import Entry

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = "PySide6/Qt/plugins"
LIB = "PySide6/Qt/lib"


def binary(dest: str, typecode: str = "BINARY") -> Entry:
    return (dest, dest, typecode)  # the source path as the name, for the link tables below


def links(table: dict[str, set[str]]) -> Callable[[str], Iterable[str]]:
    """An `imports` function answering from a table of link names, as objdump would."""

    def imports(path: str) -> Iterable[str]:
        return table.get(path, set())

    return imports


def prune(
    binaries: list[Entry],
    datas: Iterable[Entry] = (),
    table: dict[str, set[str]] | None = None,
    platform: str = "linux",
) -> bc.Pruned:
    return bc.prune(binaries, list(datas), links(table or {}), platform)


def kept(pruned: bc.Pruned) -> set[str]:
    return {e[0] for e in pruned.binaries + pruned.datas}


@pytest.mark.parametrize(
    "dest",
    [
        f"{PLUGINS}/platforms/libqxcb.so",
        f"{PLUGINS}/platforms/libqwayland.so",
        f"{PLUGINS}/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
        "PySide6\\plugins\\platforms\\qwindows.dll",
        f"{PLUGINS}/platforminputcontexts/libcomposeplatforminputcontextplugin.so",
        f"{PLUGINS}/imageformats/libqsvg.so",
        f"{PLUGINS}/imageformats/qico.dll",
        f"{PLUGINS}/iconengines/libqsvgicon.so",
        f"{PLUGINS}/networkinformation/libqnetworkmanager.so",
        f"{PLUGINS}/xcbglintegrations/libqxcb-glx-integration.so",
        f"{PLUGINS}/wayland-shell-integration/libxdg-shell.so",
        f"{PLUGINS}/wayland-decoration-client/libadwaita.so",
    ],
)
def test_the_qt_plugins_the_app_uses_stay(dest: str) -> None:
    assert bc.dropped_by_rule(dest) is None
    assert kept(prune([binary(dest)])) == {dest}


@pytest.mark.parametrize(
    "dest",
    [
        f"{PLUGINS}/platforms/libqeglfs.so",
        f"{PLUGINS}/platforms/libqvnc.so",
        f"{PLUGINS}/platformthemes/libqgtk3.so",
        f"{PLUGINS}/platformthemes/libqxdgdesktopportal.so",
        f"{PLUGINS}/tls/libqopensslbackend.so",
        "PySide6\\plugins\\tls\\qschannelbackend.dll",
        f"{PLUGINS}/imageformats/libqjpeg.so",
        f"{PLUGINS}/networkinformation/libqglib.so",
        f"{PLUGINS}/wayland-shell-integration/libivi-shell.so",
        f"{PLUGINS}/qmltooling/libqmldbg_debugger.so",
        f"{PLUGINS}/generic/libqevdevmouseplugin.so",
    ],
)
def test_the_qt_plugins_it_does_not_use_go(dest: str) -> None:
    assert bc.dropped_by_rule(dest) == bc.QT_PLUGIN
    pruned = prune([binary(dest)])
    assert pruned.binaries == []
    assert pruned.reasons == {dest: bc.QT_PLUGIN}


def test_a_plugin_folder_the_table_does_not_list_stays_and_is_reported() -> None:
    new = f"{PLUGINS}/brandnew/libqsomething.so"
    pruned = prune([binary(new)])
    assert kept(pruned) == {new}
    assert pruned.unknown_plugin_folders == {"brandnew"}
    assert pruned.report()[-1] == (
        "build.spec: kept Qt plugin folders that KEEP_PLUGINS does not list: brandnew"
    )


def test_qt_translations_go_from_the_data_too() -> None:
    translation = ("PySide6/Qt/translations/qtbase_de.qm", "/x/qtbase_de.qm", "DATA")
    icon = ("resources/icon.png", "/repo/resources/icon.png", "DATA")
    pruned = prune([], [translation, icon])
    assert pruned.datas == [icon]
    assert pruned.reasons == {translation[0]: bc.QT_TRANSLATION}


@pytest.mark.parametrize(
    "dest",
    [
        f"{LIB}/libQt6Quick.so.6",
        f"{LIB}/libQt6QmlModels.so.6",
        f"{LIB}/libQt6Pdf.so.6",
        f"{LIB}/libQt6SvgWidgets.so.6",
        f"{LIB}/libQt6OpenGLWidgets.so.6",
        f"{LIB}/libQt6VirtualKeyboard.so.6",
        "PySide6\\Qt6WebEngineCore.dll",
        "PySide6/Qt/lib/QtQml.framework/Versions/A/QtQml",
    ],
)
def test_libraries_of_unused_qt_modules_go(dest: str) -> None:
    assert bc.dropped_by_rule(dest) == bc.QT_LIBRARY


@pytest.mark.parametrize(
    "dest",
    [
        # The bindings are excluded, but the kept plugins link to these libraries.
        f"{LIB}/libQt6DBus.so.6",
        f"{LIB}/libQt6OpenGL.so.6",
        f"{LIB}/libQt6Svg.so.6",
        f"{LIB}/libQt6XcbQpa.so.6",
        f"{LIB}/libQt6WaylandClient.so.6",
        *(f"{LIB}/libQt6{module[2:]}.so.6" for module in bc.QT_MODULES_USED),
        "PySide6/QtWidgets.abi3.so",
        "PySide6\\Qt6Network.dll",
    ],
)
def test_the_qt_libraries_in_use_stay(dest: str) -> None:
    assert bc.dropped_by_rule(dest) is None


def test_a_dropped_macos_framework_takes_its_resources_with_it() -> None:
    framework = "PySide6/Qt/lib/QtQuick.framework/"
    library = binary(framework + "Versions/A/QtQuick")
    resources = (framework + "Resources/Info.plist", "/x/Info.plist", "DATA")
    other = ("PySide6/Qt/lib/QtGui.framework/Resources/Info.plist", "/y/Info.plist", "DATA")
    pruned = prune([library], [resources, other], platform="darwin")
    assert kept(pruned) == {other[0]}
    assert pruned.reasons[resources[0]] == bc.IN_DROPPED_FRAMEWORK


@pytest.mark.parametrize("dest", ["_tcl_data/init.tcl", "tcl8/8.6/http.tm", "_tk_data/tk.tcl"])
def test_tcl_and_tk_go(dest: str) -> None:
    assert bc.dropped_by_rule(dest) == bc.TCL


def test_system_libraries_are_left_to_the_linux_desktop_only() -> None:
    for name in ("libstdc++.so.6", "libfontconfig.so.1", "libglib-2.0.so.0", "libz.so.1"):
        assert bc.dropped_by_rule(name, "linux") == bc.SYSTEM_LIBRARY
        assert bc.dropped_by_rule(name, "darwin") is None
    assert bc.dropped_by_rule("libxcb-cursor.so.0", "linux") is None


def test_a_library_only_dropped_files_need_goes_with_them() -> None:
    gtk_theme = binary(f"{PLUGINS}/platformthemes/libqgtk3.so")
    xcb = binary(f"{PLUGINS}/platforms/libqxcb.so")
    table = {
        gtk_theme[0]: {"libgtk-3.so.0", "libQt6Gui.so.6"},
        "libgtk-3.so.0": {"libcairo.so.2", "libpango-1.0.so.0"},
        "libpango-1.0.so.0": {"libcairo.so.2"},
        xcb[0]: {"libQt6Gui.so.6", "libxcb-cursor.so.0"},
    }
    others = [binary(n) for n in ("libgtk-3.so.0", "libcairo.so.2", "libpango-1.0.so.0")]
    shared = [binary(f"{LIB}/libQt6Gui.so.6"), binary("libxcb-cursor.so.0")]
    pruned = prune([gtk_theme, xcb, *others, *shared], table=table)
    assert kept(pruned) == {xcb[0], *(e[0] for e in shared)}
    assert {pruned.reasons[e[0]] for e in others} == {bc.ONLY_FOR_DROPPED}


def test_a_library_something_kept_needs_stays_even_if_a_dropped_file_needs_it_too() -> None:
    dropped = binary(f"{PLUGINS}/tls/libqopensslbackend.so")
    extension = binary("_ssl.cpython-311-x86_64-linux-gnu.so", "EXTENSION")
    table = {
        dropped[0]: {"libssl.so.3"},
        extension[0]: {"libssl.so.3"},
        "libssl.so.3": {"libcrypto.so.3"},
    }
    libraries = [binary("libssl.so.3"), binary("libcrypto.so.3")]
    pruned = prune([dropped, extension, *libraries], table=table)
    assert kept(pruned) == {extension[0], "libssl.so.3", "libcrypto.so.3"}


def test_an_extension_module_is_never_pruned_as_a_dependency() -> None:
    dropped = binary(f"{PLUGINS}/platformthemes/libqgtk3.so")
    module = binary("gi/_gi.cpython-311-x86_64-linux-gnu.so", "EXTENSION")
    pruned = prune([dropped, module], table={dropped[0]: {"_gi.cpython-311-x86_64-linux-gnu.so"}})
    assert kept(pruned) == {module[0]}


def test_a_library_needed_only_by_a_system_library_goes() -> None:
    fontconfig = binary("libfontconfig.so.1")
    table = {fontconfig[0]: {"libexpat.so.1", "libpng16.so.16"}}
    pruned = prune([fontconfig, binary("libpng16.so.16")], table=table)
    assert pruned.binaries == []
    assert pruned.reasons == {
        "libfontconfig.so.1": bc.SYSTEM_LIBRARY,
        "libpng16.so.16": bc.ONLY_FOR_DROPPED,
    }


def test_a_symlink_to_a_dropped_library_goes_and_one_to_a_kept_library_stays() -> None:
    dropped = binary(f"{LIB}/libQt6Quick.so.6")
    kept_library = binary(f"{LIB}/libQt6Gui.so.6")
    dangling = ("libQt6Quick.so.6", f"{LIB}/libQt6Quick.so.6", "SYMLINK")
    sound = ("libQt6Gui.so.6", f"{LIB}/libQt6Gui.so.6", "SYMLINK")
    pruned = prune([dropped, kept_library, dangling, sound])
    assert kept(pruned) == {kept_library[0], sound[0]}


def test_windows_link_names_match_whatever_their_case() -> None:
    dropped = binary("PySide6\\plugins\\tls\\qopensslbackend.dll")
    library = binary("PySide6\\LIBSSL-3.dll")
    pruned = prune([dropped, library], table={dropped[0]: {"libssl-3.dll"}}, platform="win32")
    assert pruned.binaries == []


def test_the_report_counts_each_reason_and_lists_files_when_verbose() -> None:
    pruned = prune(
        [
            binary(f"{PLUGINS}/platforms/libqvnc.so"),
            binary(f"{PLUGINS}/platforms/libqeglfs.so"),
            binary(f"{LIB}/libQt6Pdf.so.6"),
        ]
    )
    assert pruned.report() == [
        f"build.spec: dropped 1 x {bc.QT_LIBRARY}, 2 x {bc.QT_PLUGIN}",
    ]
    verbose = pruned.report(verbose=True)
    assert f"build.spec: dropped {LIB}/libQt6Pdf.so.6: {bc.QT_LIBRARY}" in verbose
    assert len(verbose) == 4


def test_excludes_name_every_unused_binding_and_no_used_one() -> None:
    assert not set(bc.UNUSED_QT_BINDINGS) & set(bc.QT_MODULES_USED)
    for module in bc.UNUSED_QT_BINDINGS:
        assert f"PySide6.{module}" in bc.EXCLUDES
    for module in bc.QT_MODULES_USED:
        assert f"PySide6.{module}" not in bc.EXCLUDES
    assert {"tkinter", "multiprocessing", "pytest", "mypy"} <= set(bc.EXCLUDES)
    # The app's own imports must stay importable when frozen.
    for needed in ("desktop", "httpx", "keyring", "sqlite3", "concurrent.futures", "PySide6"):
        assert needed not in bc.EXCLUDES


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="objdump reads ELF files")
def test_linked_libraries_reads_a_real_binary() -> None:
    import PySide6

    module = next(Path(PySide6.__file__).parent.glob("QtCore.*.so"))
    assert "libQt6Core.so.6" in bc.linked_libraries(str(module), "linux")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="objdump is for Linux")
def test_without_objdump_the_build_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SystemExit, match="install binutils"):
        bc.linked_libraries("/bin/sh", "linux")


def test_the_size_budget_is_told_to_the_shell() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bundle_contents.py"), "budget"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == f"{bc.SIZE_BUDGET_MB}\n"


def test_the_app_imports_only_the_qt_modules_the_bundle_keeps() -> None:
    """A binding excluded from the bundle but imported by the app would fail only frozen."""
    imported: set[str] = set()
    for source in (ROOT / "desktop").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        imported.update(re.findall(r"\bPySide6\.(Qt\w+)", text))
        for names in re.findall(r"from PySide6 import \(?([\w, \n]+)", text):
            imported.update(n.strip() for n in names.split(",") if n.strip().startswith("Qt"))
    assert imported, "no Qt import found: the pattern above is out of date"
    assert imported <= set(bc.QT_MODULES_USED)
