"""Qt's own texts in Vietnamese: the right-click menu of a text field, standard buttons, message boxes and
the file dialog Qt draws (PySide6 ships no Vietnamese catalog; ui/qt_texts.py compiles ours for Qt)."""
import pytest

from services.i18n import _
from ui import qt_texts
from ui.qt import QtCore, QtGui, QtWidgets


@pytest.fixture
def vietnamese(qapp):
    translator = qt_texts.install(qapp)
    yield translator
    qapp.removeTranslator(translator)
    translator.setParent(None)
    translator.deleteLater()


def menu_texts(menu):
    return [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()]


def test_the_right_click_menu_of_text_fields_is_vietnamese(vietnamese, qtbot):
    line = QtWidgets.QLineEdit()
    qtbot.addWidget(line)
    assert menu_texts(line.createStandardContextMenu()) == [
        "&Hoàn tác", "&Làm lại", "&Cắt", "&Sao chép", "&Dán", "Xóa", "Chọn tất cả"]
    text = QtWidgets.QPlainTextEdit()
    qtbot.addWidget(text)
    assert menu_texts(text.createStandardContextMenu()) == [
        "&Hoàn tác", "&Làm lại", "&Cắt", "&Sao chép", "&Dán", "Xóa", "Chọn tất cả"]


def test_standard_buttons_and_message_boxes_are_vietnamese(vietnamese, qtbot):
    sb = QtWidgets.QDialogButtonBox.StandardButton
    box = QtWidgets.QDialogButtonBox(sb.Ok | sb.Cancel | sb.Yes | sb.No | sb.Close | sb.Save)
    qtbot.addWidget(box)
    assert {b: box.button(b).text() for b in (sb.Ok, sb.Cancel, sb.Yes, sb.No, sb.Close, sb.Save)} == {
        sb.Ok: "Đồng ý", sb.Cancel: "Hủy", sb.Yes: "&Có", sb.No: "&Không", sb.Close: "Đóng", sb.Save: "Lưu"}
    msg = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Warning, "Sổ chi bộ", "x")
    qtbot.addWidget(msg)
    msg.setDetailedText("chi tiết")
    msg.show()
    assert "Xem chi tiết..." in [b.text() for b in msg.buttons()]
    msg.hide()


def test_the_file_dialog_qt_draws_is_vietnamese(vietnamese, qtbot, tmp_path):
    (tmp_path / "bien-ban.pdf").write_bytes(b"%PDF-1.4")
    dialog = QtWidgets.QFileDialog(None, "Lưu biên bản", str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.setOption(QtWidgets.QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QtWidgets.QFileDialog.AcceptMode.AcceptSave)
    dialog.show()
    labels = {w.text() for w in dialog.findChildren(QtWidgets.QLabel)}
    assert {"&Thư mục:", "&Tên tệp:", "&Loại tệp:"} <= labels
    buttons = {b.text() for b in dialog.findChildren(QtWidgets.QPushButton)}
    assert {"&Lưu", "Hủy"} <= buttons
    asked = []

    def answer():
        box = next((w for w in QtWidgets.QApplication.topLevelWidgets()
                    if isinstance(w, QtWidgets.QMessageBox) and w.isVisible()), None)
        if box is not None:
            asked.append(box.text())
            box.reject()

    timer = QtCore.QTimer()
    timer.timeout.connect(answer)
    timer.start(50)
    dialog.selectFile(str(tmp_path / "bien-ban.pdf"))
    dialog.accept()     # the file exists: Qt asks before replacing it
    timer.stop()
    assert asked == ["bien-ban.pdf đã có.\nCó muốn thay tệp đó bằng tệp mới không?"]


def test_texts_that_are_not_ours_stay_as_qt_writes_them(vietnamese, qtbot):
    # Key names are read back by Qt from their text: never translated.
    assert QtGui.QKeySequence("Ctrl+N").toString(QtGui.QKeySequence.SequenceFormat.NativeText) == "Ctrl+N"
    assert QtCore.QCoreApplication.translate("QLineEdit", "Not a Qt text") == "Not a Qt text"
    assert QtCore.QCoreApplication.translate("SomethingElse", "&Undo") == "&Undo"


def test_the_program_installs_the_translator_once(qapp):
    from ui.app import make_app

    saved = (QtCore.QLocale(), qapp.font(), qapp.applicationName(), qapp.applicationDisplayName(),
             qapp.organizationName(), qapp.windowIcon())
    try:
        make_app()
        make_app()
        assert len(qapp.findChildren(QtCore.QTranslator, "qt_texts_vi")) == 1
        assert QtCore.QCoreApplication.translate("QLineEdit", "Cu&t") == "&Cắt"
        assert QtCore.QLocale().decimalPoint() == ","
    finally:
        for t in qapp.findChildren(QtCore.QTranslator, "qt_texts_vi"):
            qapp.removeTranslator(t)
            t.setParent(None)
        locale, font, name, display, org, icon = saved
        QtCore.QLocale.setDefault(locale)
        qapp.setFont(font)
        qapp.setApplicationName(name)
        qapp.setApplicationDisplayName(display)
        qapp.setOrganizationName(org)
        qapp.setWindowIcon(icon)


def test_the_compiled_qt_catalog_holds_every_translation_of_qt_po(qapp):
    """resources/locale/vi/qt_vi.qm is made from qt.po by `python -m ui.qt_texts`: a changed translation
    not compiled again fails here."""
    translator = QtCore.QTranslator()
    assert translator.load(str(qt_texts.qm_path()))
    for context, texts in qt_texts.QT_TEXTS.items():
        for source in texts:
            msgid = qt_texts.msgid_of(context, source)
            assert translator.translate(context, source) == _(msgid) != msgid, (context, source)
