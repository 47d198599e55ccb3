"""Shared fixtures, in the style of Flask's tutorial: `app`, `client`, `runner` and friends."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.register_assert_rewrite("tests.fixtures")

from bot import create_app, make_runtime
from bot.cli import cli
from bot.commands.context import CliContext
from config.settings import Settings
from storage.db import init_db, make_engine
from tests.fixtures.chat import TEST_APP_ID, TEST_OA_ID, TEST_OA_SECRET
from tests.fixtures.db import truncate_all
from tests.fixtures.fake_zalo import RecordingZalo

pytest_plugins = [
    "tests.fixtures.db",
    "tests.fixtures.chat",
    "tests.fixtures.standin",
    "tests.fixtures.browser",
    "tests.fixtures.console",
    "tests.fixtures.scheduler",
]

SAMPLES = Path(__file__).resolve().parent.parent / "dev" / "samples"


@pytest.fixture
def settings(db_url) -> Settings:
    return Settings(
        database_url=db_url,
        zalo_app_id=TEST_APP_ID,
        zalo_app_secret="test-app-secret",
        zalo_oa_secret_key=TEST_OA_SECRET,
        zalo_oa_id=TEST_OA_ID,
        zalo_access_token="test-access-token",
        zalo_refresh_token="test-refresh-token",
        zalo_api_base="http://127.0.0.1:9",  # nothing listens: tests that need Zalo use a stand-in
        zalo_oauth_base="http://127.0.0.1:9",
        zalo_business_api_base="http://127.0.0.1:9",
        send_rate_per_minute=600_000,
        testing=True,
    )


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """One migrated SQLite file; each test starts from a copy of it (much faster than migrating)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    init_db(engine)
    engine.dispose()
    return path


@pytest.fixture
def engine(settings, db_backend, request):
    if db_backend == "postgresql":
        engine = make_engine(settings.database_url)
        truncate_all(engine)
    else:
        target = Path(settings.database_url.removeprefix("sqlite:///"))
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), target)
        engine = make_engine(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def fake_zalo() -> RecordingZalo:
    return RecordingZalo()


@pytest.fixture
def runtime(settings, engine, fake_zalo):
    runtime = make_runtime(settings, engine=engine, zalo=fake_zalo)
    yield runtime
    runtime.stop()


@pytest.fixture
def app(settings, runtime):
    return create_app(settings, runtime=runtime)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(settings, runtime):
    """Invoke `nhacviec` commands against the test database: `runner.invoke(args)`."""

    class Runner:
        def invoke(self, args, **kwargs):
            context = CliContext(settings)
            context.__dict__["runtime"] = runtime
            return CliRunner().invoke(cli, args, obj=context, **kwargs)

    return Runner()


@pytest.fixture
def directory(runtime):
    """The sample directory (dev/samples/units.csv, dev/samples/officers.csv) loaded."""
    from storage.directory import load_directory

    with runtime.session() as session:
        load_directory(session, SAMPLES / "units.csv", SAMPLES / "officers.csv")
    return SAMPLES
