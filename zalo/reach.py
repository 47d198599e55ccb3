"""Reaching an officer outside Zalo's 7-day window, or with no Zalo link (docs/zalo.md, channels):
the template by Zalo user id, else (missing or refused) the ZNS template by phone, else hold.

ZNS waits for 06:00 when the pass's clock is between 22:00 and 06:00. A refusal is kept in the
delivery log with Zalo's code and message; a refusal of the user-id template falls back to ZNS.
"""

from __future__ import annotations

from sqlalchemy import update

from storage.models import OutboxMessage
from zalo.channels import NO_LINK_PREFIX, in_zns_quiet_hours, recipient_phone, template_facts, zns_opens
from zalo.errors import ZaloError, ZaloTransportError
from zalo.outcomes import Delivery, Outcome, backoff
from zalo.parts import Parts

TEMPLATES = ("template", "zns")


def no_link(message) -> bool:
    return message.zalo_user_id.startswith(NO_LINK_PREFIX)


def _busy(error: ZaloError) -> bool:
    return error.rate_limited or error.token_invalid


def by_template(runtime: Parts, delivery: Delivery, parts: list[str] = ()) -> Outcome:
    """The user-id template, else ZNS, else held (or failed for an officer with no link)."""
    settings, message = runtime.settings, delivery.message
    parts = list(parts)
    with runtime.session(read_only=True) as session:
        facts = template_facts(session, message, delivery.clock, settings.zone)
    refused = ""
    template_id = facts.template(settings.zalo_template_id, settings.zalo_template_kinds)
    if template_id and not no_link(message):
        _mark_channel(runtime, message.id, "template")
        try:
            zalo_id = runtime.zalo.send_template(message.zalo_user_id, template_id,
                                                 facts.fields(settings.zalo_template_fields))
            return Outcome("sent", parts=[*parts, zalo_id], channel="template")
        except ZaloError as error:
            if _busy(error):
                return _later(delivery, f"template: {error.code}: {error.message}", parts)
            refused = f"template refused: {error.code}: {error.message}"
        except ZaloTransportError as error:
            if error.maybe_delivered:
                return Outcome("uncertain", parts=parts, error=f"template: {error}", channel="template",
                               not_before=delivery.clock + backoff(1))
            return _later(delivery, f"template: {error}", parts)
    return by_phone(runtime, delivery, facts, refused, parts)


def by_phone(runtime: Parts, delivery: Delivery, facts, refused: str, parts: list[str]) -> Outcome:
    settings, message = runtime.settings, delivery.message
    phone = recipient_phone(delivery.officer)
    template_id = facts.template(settings.zalo_zns_template_id, settings.zalo_zns_template_kinds)
    if not (template_id and phone):
        return _nowhere(message, refused)
    if in_zns_quiet_hours(delivery.clock, settings.zone):
        return Outcome("pending", parts=parts, not_before=zns_opens(delivery.clock, settings.zone),
                       error=_joined(refused, "ZNS is not sent between 22:00 and 06:00: waits for 06:00"))
    _mark_channel(runtime, message.id, "zns")
    try:
        zalo_id = runtime.zalo.send_zns(phone, template_id,
                                        facts.fields(settings.zalo_zns_template_fields), f"nhacviec-{message.id}")
    except ZaloError as error:
        if error.zns_quiet:
            return Outcome("pending", parts=parts, not_before=zns_opens(delivery.clock, settings.zone),
                           error=_joined(refused, f"ZNS {error.code}: {error.message}"))
        if _busy(error):
            return _later(delivery, f"ZNS {error.code}: {error.message}", parts)
        return _nowhere(message, _joined(refused, f"ZNS refused: {error.code}: {error.message}"))
    except ZaloTransportError as error:
        if error.maybe_delivered:
            return Outcome("uncertain", parts=parts, error=f"ZNS: {error}", channel="zns",
                           not_before=delivery.clock + backoff(1))
        return _later(delivery, f"ZNS: {error}", parts)
    return Outcome("sent", parts=[*parts, zalo_id], channel="zns", error=refused)


def _mark_channel(runtime: Parts, message_id: int, channel: str) -> None:
    """Say which way the message is going before Zalo is called: should this process die during
    the call, a template is not read back from a conversation, and never sent again unasked."""
    with runtime.session() as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(channel=channel))


def _joined(first: str, second: str) -> str:
    return f"{first}; {second}" if first else second


def _later(delivery: Delivery, error: str, parts: list[str]) -> Outcome:
    return Outcome("pending", parts=parts, error=error, not_before=delivery.clock + backoff(delivery.message.attempts))


def _nowhere(message, error: str) -> Outcome:
    """No way left: held until the officer writes; with no Zalo link they cannot, so it failed."""
    if no_link(message):
        return Outcome("failed", error=error or "no Zalo link and no phone template")
    return Outcome("held", error=error)
