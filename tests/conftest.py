"""Shared fixtures. GUI tests run offscreen with one session-wide QApplication (pytest-qt)."""
from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from services.branch import BranchIdentity, set_identity  # noqa: E402
from services.db import open_database  # noqa: E402
from tests.engines import PG_ENV, POSTGRESQL, SQLITE, PgServer, Targets, engines  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "opt_in: a test that runs only when asked (its skip is allowed in CI)")
    config.addinivalue_line(
        "markers", "sqlite_only: a test about SQLite files by nature; its PostgreSQL variant is deselected")
    config.addinivalue_line(
        "markers", "server_only: a test about a database server by nature; its SQLite variant is deselected")


def pytest_collection_modifyitems(config, items):
    """The PostgreSQL variant of a test marked sqlite_only, and the SQLite variant of one marked server_only,
    are deselected (never skipped: see below)."""
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        engine = callspec.params.get("engine_name") if callspec is not None else None
        wrong = (engine == POSTGRESQL and item.get_closest_marker("sqlite_only")) or (
            engine == SQLITE and item.get_closest_marker("server_only"))
        (drop if wrong else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test fails, unless it is marked opt_in: a missing tool (poppler, ruff,
    jsonschema) must not hide a broken feature behind a green run."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI") == "true" and item.get_closest_marker("opt_in") is None \
            and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which must run every test: {reason}"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Never touch the real user's data folder or Qt settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("HOME", str(home))
    # Qt reads XDG_CONFIG_HOME once per process: each test's settings (last folders, zoom) start empty.
    from PySide6.QtCore import QSettings

    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(home / "config"))


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread(request):
    """A GUI test runs as the program does (ui/app.py run_gui): Python's cycle collector only on the GUI
    thread (ui/gc_guard.py), so that no window, dialog or task of a finished test is deleted by a pool thread."""
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        yield
        return
    from ui.gc_guard import GuiThreadCollector

    collector = GuiThreadCollector()
    yield
    collector.stop()


@pytest.fixture(scope="session")
def pg_server():
    """The PostgreSQL test server (SOCHIBO_TEST_PG), when the suite runs on it too."""
    server = PgServer(os.environ[PG_ENV])
    yield server
    server.close()


@pytest.fixture(params=engines())
def engine_name(request):
    """"sqlite", and "postgresql" when SOCHIBO_TEST_PG names a test server: a test taking it runs on each."""
    return request.param


@pytest.fixture
def new_target(engine_name, tmp_path, request):
    """new_target("name") -> a new database for this test: a file, or a database on the test server
    (with the program's tables; `empty=True`: without)."""
    server = request.getfixturevalue("pg_server") if engine_name == POSTGRESQL else None
    targets = Targets(engine_name, tmp_path, server)
    yield targets
    targets.cleanup()


@pytest.fixture
def db(new_target):
    database = open_database(new_target("chibo"), create=True)
    with database.begin() as session:
        set_identity(session, BranchIdentity(
            name="Chi bộ Văn phòng Sở", parents=["ĐẢNG ỦY SỞ LAO ĐỘNG - TBXH"], place="Trà Vinh",
            secretary="Từ Minh Điền"))
    yield database
    database.close()


@pytest.fixture
def today():
    return dt.date(2025, 12, 15)


@pytest.fixture(autouse=True)
def save_questions(monkeypatch, request):
    """The "Lưu / Không lưu / Hủy" question is recorded and answered "Không lưu" instead of waiting for a
    click (a window closed at the end of a test with unsaved edits would otherwise wait forever).
    A test about the question sets `save_questions.answer` and reads `save_questions.asked`."""
    from ui import widgets

    class Questions:
        answer = widgets.DISCARD
        asked: list[str]

    q = Questions()
    q.asked = []

    def fake(parent, title, text):
        q.asked.append(text)
        return q.answer

    monkeypatch.setattr(widgets, "ask_save", fake)
    request.node._save_questions = q
    return q


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """Operations still running when a test ends finish before its window and database are closed."""
    yield
    import sys
    import time

    questions = getattr(item, "_save_questions", None)
    if questions is not None:      # the window closed after the test drops what is left unsaved
        from ui import widgets

        questions.answer = widgets.DISCARD

    operations = sys.modules.get("ui.operations")
    if operations is None or operations.idle():
        return
    from ui.qt import QtWidgets

    app = QtWidgets.QApplication.instance()
    deadline = time.monotonic() + 20
    while not operations.idle() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)

