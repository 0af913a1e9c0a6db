"""The few Qt enum values needed before the first paint, as the plain ints Qt defines.

Reading PySide6's `Qt` namespace the first time builds all of its 93 Python enums at once,
about 40 ms of start-up that a bare window never pays. Item roles reach `data()` as ints
anyway, and the status panel's settings go through Qt's property system by name. Code that
runs after the first paint imports `Qt` where it needs it. tests/unit/ui/test_view_models.py checks
every value here against Qt's own, and that the first paint never reads the namespace.
"""

DISPLAY_ROLE = 0  # Qt.ItemDataRole.DisplayRole
EDIT_ROLE = 2  # Qt.ItemDataRole.EditRole
TOOL_TIP_ROLE = 3  # Qt.ItemDataRole.ToolTipRole
FOREGROUND_ROLE = 9  # Qt.ItemDataRole.ForegroundRole
USER_ROLE = 256  # Qt.ItemDataRole.UserRole

PLAIN_TEXT = 0  # Qt.TextFormat.PlainText
ALIGN_TOP_LEFT = 0x21  # Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
SELECTABLE_BY_MOUSE = 1  # Qt.TextInteractionFlag.TextSelectableByMouse
