"""Settings, read once from the environment (and a `.env` file) into one frozen object."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, fields, replace
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import load_dotenv


def _bool(value: str) -> bool:
    word = value.strip().lower()
    if word not in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
        raise ValueError("expected true or false")
    return word in {"1", "true", "yes", "on"}


def _time(value: str) -> time:
    """'07:30' -> 07:30 (ISO 8601's HH:MM; '7:30', as people write it, too)."""
    clock = time.fromisoformat(value.strip().zfill(5))
    if clock.tzinfo is not None:
        raise ValueError("a wall-clock time has no time zone (TIMEZONE gives it)")
    return clock


def _hours(value: str) -> tuple[tuple[time, time], ...]:
    """'07:00-11:30,13:30-17:00' -> ((07:00, 11:30), (13:30, 17:00))."""
    spans = []
    for span in value.split(","):
        start, end = span.split("-")
        span = (_time(start), _time(end))
        if span[0] >= span[1]:
            raise ValueError(f"{span[0]:%H:%M} is not before {span[1]:%H:%M}")
        spans.append(span)
    return tuple(spans)


def _zone(value: str) -> str:
    try:
        ZoneInfo(value.strip())
    except (ValueError, ZoneInfoNotFoundError):
        raise ValueError("no such time zone") from None
    return value.strip()


def _networks(value: str) -> tuple[str, ...]:
    """'127.0.0.1, 10.0.0.0/8' -> ('127.0.0.1', '10.0.0.0/8'), each checked."""
    found = tuple(part.strip() for part in value.split(",") if part.strip())
    for network in found:
        ipaddress.ip_network(network, strict=False)
    return found


def _positive(parse):
    def parse_positive(value: str):
        number = parse(value)
        if not number > 0:
            raise ValueError("must be more than 0")
        return number
    return parse_positive


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///instance/nhacviec.db"
    timezone: str = "Asia/Ho_Chi_Minh"
    zalo_app_id: str = ""
    zalo_app_secret: str = ""
    zalo_oa_secret_key: str = ""
    zalo_oa_id: str = ""
    zalo_access_token: str = ""
    zalo_refresh_token: str = ""
    zalo_api_base: str = "https://openapi.zalo.me"
    zalo_oauth_base: str = "https://oauth.zaloapp.com"
    zalo_business_api_base: str = "https://business.openapi.zalo.me"
    # Template message by Zalo user id, used outside Zalo's 7-day window; empty: none.
    zalo_template_id: str = ""
    # ZNS template by phone: officers with no Zalo link, or when the user-id template is missing
    # or refused; never 22:00-06:00. Empty: none (with neither, messages are held).
    zalo_zns_template_id: str = ""
    # Template field mappings, "field=source,...": sources kind (Nhắc việc, Việc quá hạn...), task
    # (#7), deadline (in words), gist, notice, text (the message without its button talk).
    zalo_template_fields: str = "loai=kind,so_viec=task,han=deadline,noi_dung=gist,thong_bao=notice"
    zalo_zns_template_fields: str = "loai=kind,so_viec=task,han=deadline,noi_dung=gist,thong_bao=notice"
    # A template of its own for a kind of message, "kind=ID,...", kinds reminder, overdue, summary,
    # extension; a kind not named uses ZALO_TEMPLATE_ID / ZALO_ZNS_TEMPLATE_ID.
    zalo_template_kinds: str = ""
    zalo_zns_template_kinds: str = ""
    # Outbox delivery.
    send_rate_per_minute: int = 4000
    # The "minute" of that limit, in seconds: shortened only by tests and benchmarks.
    send_rate_window_seconds: float = 60.0
    send_concurrency: int = 16
    send_max_attempts: int = 5
    http_connect_timeout: float = 3.05
    http_read_timeout: float = 10.0
    # Calendar and reminder policy.
    office_hours: tuple[tuple[time, time], ...] = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))
    holiday_file: str = ""
    reminder_time: time = time(8, 0)
    summary_weekday: int = 0  # Monday
    summary_time: time = time(7, 0)
    catch_up_hours: int = 12
    reminder_days_before: int = 3
    reminder_min_lead_days: int = 5
    escalate_after_days: int = 5
    meeting_eve_time: time = time(15, 0)
    meeting_lead_minutes: int = 120
    # A reminder is not sent in the last minutes of an office span (11:30 -> 11:00 at the latest).
    reminder_end_margin_minutes: int = 30
    chart_dir: str = "instance/charts"
    # Full names, comma-separated, of officers who may approve moving any deadline besides the
    # leader who directs the unit (every deadline of a notice is one the Giám đốc set).
    extension_approvers: str = ""
    # Web console.
    secret_key: str = "dev-only-change-me"
    admin_password: str = ""
    # The reverse proxies whose X-Forwarded-For names the client (addresses or networks, comma
    # separated): sign-in is throttled per client, as they report it (docs/console.md).
    trusted_proxies: tuple[str, ...] = ()
    # How the console's reports and link codes name the Sở (docs/console.md).
    org_parent: str = "UBND TỈNH QUẢNG TRỊ"
    org_name: str = "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    org_place: str = "Quảng Trị"
    # The link a QR code of a link code opens: {oa_id} and {text} (URL-encoded) are filled in.
    zalo_chat_link: str = "https://zalo.me/{oa_id}"
    testing: bool = False

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def with_overrides(self, **overrides) -> "Settings":
        return replace(self, **overrides)


_PARSERS = {bool: _bool, int: int, float: float, time: _time}
# Settings whose value is checked beyond its type (a zero rate or pool would stop sending).
_SPECIAL = {
    "office_hours": _hours,
    "timezone": _zone,
    "trusted_proxies": _networks,
    "send_rate_per_minute": _positive(int),
    "send_rate_window_seconds": _positive(float),
    "send_concurrency": _positive(int),
    "send_max_attempts": _positive(int),
    "http_connect_timeout": _positive(float),
    "http_read_timeout": _positive(float),
}


def load_settings(env_file: str | Path | None = ".env", **overrides) -> Settings:
    """Settings from the environment (after `.env`), then explicit overrides."""
    if env_file and Path(env_file).exists():
        load_dotenv(env_file, override=False)
    values = {}
    defaults = Settings()
    for f in fields(Settings):
        raw = os.environ.get(f.name.upper())
        if raw is None or raw == "":
            continue
        default = getattr(defaults, f.name)
        parser = _SPECIAL.get(f.name) or _PARSERS.get(type(default), str)
        try:
            values[f.name] = parser(raw)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"setting {f.name.upper()}={raw!r} is not valid: {exc}") from exc
    values.update(overrides)
    return Settings(**values)
