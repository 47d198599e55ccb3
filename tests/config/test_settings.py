"""Settings: every one documented in .env.example, read from the environment, bad values refused."""

from __future__ import annotations

from dataclasses import fields
from datetime import time
from pathlib import Path

import pytest

from config.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_documented_and_the_example_means_the_defaults(monkeypatch):
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = {line.split("=", 1)[0] for line in example.splitlines() if "=" in line and not line.startswith("#")}
    for f in fields(Settings):
        monkeypatch.delenv(f.name.upper(), raising=False)
    assert {f.name.upper() for f in fields(Settings)} - {"TESTING"} <= documented
    loaded = load_settings(ROOT / ".env.example")
    defaults = Settings()
    differing = {f.name for f in fields(Settings) if getattr(loaded, f.name) != getattr(defaults, f.name)}
    assert differing <= {"secret_key"}  # the example leaves it empty on purpose


def test_values_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("OFFICE_HOURS", "07:30-11:30,13:00-16:30")
    monkeypatch.setenv("SEND_RATE_PER_MINUTE", "3000")
    settings = load_settings(env_file=None)
    assert settings.office_hours == ((time(7, 30), time(11, 30)), (time(13, 0), time(16, 30)))
    assert settings.send_rate_per_minute == 3000


def test_a_bad_value_names_the_setting(monkeypatch):
    monkeypatch.setenv("REMINDER_TIME", "eight")
    with pytest.raises(ValueError, match="REMINDER_TIME"):
        load_settings(env_file=None)


@pytest.mark.parametrize("name, value", [("TIMEZONE", "Mars/Olympus"), ("TESTING", "maybe"),
                                         ("SEND_RATE_PER_MINUTE", "0"), ("SEND_CONCURRENCY", "0"),
                                         ("SEND_MAX_ATTEMPTS", "-1"), ("HTTP_READ_TIMEOUT", "0"),
                                         ("OFFICE_HOURS", "17:00-07:00")])
def test_a_value_that_would_fail_later_is_refused_when_read(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        load_settings(env_file=None)


def test_trusted_proxies_are_addresses_or_networks(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")
    assert load_settings(None).trusted_proxies == ("127.0.0.1", "10.0.0.0/8")
    monkeypatch.setenv("TRUSTED_PROXIES", "nginx.local")
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        load_settings(None)
