"""Every state-changing service writes exactly one audit event, and so one
ledger entry. The services are found by walking Steward's ``services``
modules; a new service fails this test until a call for it is added."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

import steward
from steward.audit.models import AuditEvent
from steward.organisations.access import access_for_user, system_access
from steward.organisations.models import Kind, Membership, Role
from tests.world import World


def _services() -> dict[str, Callable[..., Any]]:
    found = {}
    for info in pkgutil.walk_packages(steward.__path__, "steward."):
        if not info.name.endswith(".services"):
            continue
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_"):
                found[f"{info.name}.{name}"] = fn
    return found


def _org(w: World) -> dict[str, Any]:
    return {
        "access": system_access("t"),
        "code": "new-body",
        "name": "New Body",
        "kind": Kind.AGENCY,
        "parent": w.a.org,
    }


def _totp(w: World) -> dict[str, Any]:
    from django_otp.oath import TOTP

    from steward.accounts.services import totp_pending_device

    user = w.a.people[Role.STAFF]
    device = totp_pending_device(user=user)
    return {
        "user": user,
        "device": device,
        "token": f"{TOTP(device.bin_key).token():06d}",
    }


def _asset_calls() -> dict[str, Callable[[World], dict[str, Any]]]:
    from tests.assets.factories import UK_SITE, facts, make_asset

    A = "steward.assets.services."
    iao = lambda w: access_for_user(w.a.people[Role.IAO])  # noqa: E731
    return {
        A + "asset_create": lambda w: {
            "access": iao(w),
            "organisation": w.a.org,
            "data": facts(w.a),
            "locations": UK_SITE,
        },
        A + "asset_update": lambda w: {
            "access": iao(w),
            "asset": make_asset(w.a),
            "data": {"name": "Renamed"},
        },
        A + "asset_review": lambda w: {
            "access": iao(w),
            "asset": make_asset(w.a),
        },
        A + "asset_close": lambda w: {
            "access": iao(w),
            "asset": make_asset(w.a),
            "reason": "Replaced",
        },
        A + "asset_import": lambda w: {
            "access": iao(w),
            "organisation": w.a.org,
            "rows": [
                (w.a.org, facts(w.a, reference="IMP-1"), UK_SITE, "d" * 64)
            ],
            "file_digest": "f" * 64,
            "filename": "register.csv",
        },
    }


ASSET_CALLS = _asset_calls()


def _incident_calls() -> dict[str, Callable[[World], dict[str, Any]]]:
    from tests.incidents.factories import ENCRYPTED, LAPTOP, graded, report

    N = "steward.incidents.services."
    g = lambda w: access_for_user(w.a.people[Role.GUARDIAN])  # noqa: E731
    return {
        N + "incident_report": lambda w: {
            "access": access_for_user(w.a.people[Role.STAFF]),
            "organisation": w.a.org,
            "summary": "Laptop stolen",
            "description": "From a car",
            "aware_at": timezone.now(),
        },
        N + "incident_complete": lambda w: {
            "access": g(w), "incident": report(w.a), "data": LAPTOP},
        N + "incident_grade": lambda w: {
            "access": g(w), "incident": graded(w.a), "likelihood": 4,
            "severity": 3},
        N + "incident_override": lambda w: {
            "access": g(w), "incident": graded(w.a), "notifiable": False,
            "tell_subjects": False, "reason": "Recovered unopened"},
        N + "notification_make": lambda w: {
            "access": g(w), "incident": graded(w.a), "recipient": "ico",
            "phase": "initial"},
        N + "incident_close": lambda w: {
            "access": g(w), "incident": graded(w.a, ENCRYPTED)},
        N + "incident_learn": lambda w: {
            "access": g(w), "incident": graded(w.a),
            "root_cause": "unencrypted", "lessons": "Encrypt laptops",
            "share_lessons": True},
        N + "delivery_record": lambda w: {
            "access": system_access("delivery"),
            "notification": _notified(w), "channel": "email",
            "attempt": 1, "attempted_at": timezone.now(),
            "delivered": True, "response": "250 OK"},
        N + "notification_redeliver": lambda w: {
            "access": g(w), "notification": _undelivered(w),
            "channel": "webhook"},
    }


def _notified(w: World):  # type: ignore[no-untyped-def]
    from steward.incidents.services import notification_make
    from tests.incidents.factories import graded

    return notification_make(
        access=access_for_user(w.a.people[Role.GUARDIAN]),
        incident=graded(w.a), recipient="ico", phase="initial")


def _undelivered(w: World):  # type: ignore[no-untyped-def]
    """A notification whose webhook failed for good."""
    from steward.incidents.models import Delivery

    note = _notified(w)
    Delivery.objects.create(
        notification=note, channel="webhook", recipient="ico",
        destination="https://ico.example/hook", attempt=8,
        attempted_at=timezone.now(), status="failed", response="HTTP 500")
    return note


INCIDENT_CALLS = _incident_calls()

def _location(w: World):  # type: ignore[no-untyped-def]
    from steward.scans.models import ScanLocation

    return ScanLocation.objects.create(organisation=w.a.org, name="L",
                                       target="/srv")


def _run(w: World):  # type: ignore[no-untyped-def]
    from steward.scans.models import ScanRun

    return ScanRun.objects.create(organisation=w.a.org, source="job",
                                  location=_location(w))


def _empty_report():  # type: ignore[no-untyped-def]
    from steward.discovery import Report

    return Report()


def _control_calls() -> dict[str, Callable[[World], dict[str, Any]]]:
    from steward.controls.schema import CATALOGUE_DIR, read_framework
    from tests.controls.factories import load_catalogue, make_procedure

    def _loaded(w: World) -> None:
        load_catalogue()

    def _procedure(w: World) -> dict[str, Any]:
        load_catalogue()
        return {"access": system_access("t"), "procedure": make_procedure(w)}

    C = "steward.controls.services."
    return {
        C + "catalogue_load": lambda w: {
            "access": system_access("t"),
            "spec": read_framework(CATALOGUE_DIR / "dpa1998.yaml"),
        },
        C + "procedure_create": lambda w: (_loaded(w), {
            "access": system_access("t"),
            "organisation": w.a.org,
            "title": "Media",
            "version": "1.0",
            "owner": w.a.people[Role.GUARDIAN],
            "next_review": timezone.localdate(),
            "requirement_urns": ["urn:steward:dhp2008:removable-media"],
        })[1],
        C + "procedure_review": lambda w: {
            **_procedure(w),
            "version": "1.1",
            "next_review": timezone.localdate() + dt.timedelta(days=9),
        },
        C + "procedure_withdraw": _procedure,
    }


def _action_calls() -> dict[str, Callable[[World], dict[str, Any]]]:
    from tests.actions.factories import raise_action

    A = "steward.actions.services."
    guardian = lambda w: access_for_user(w.a.people[Role.GUARDIAN])  # noqa: E731
    return {
        A + "action_create": lambda w: {
            "access": guardian(w),
            "organisation": w.a.org,
            "title": "Encrypt laptops",
            "owner": w.a.people[Role.IAO],
            "due": timezone.localdate() + dt.timedelta(days=9),
        },
        A + "action_update": lambda w: {
            "access": guardian(w),
            "action": raise_action(w.a),
            "status": "in_progress",
        },
    }


def _assessment_calls() -> dict[str, Callable[[World], dict[str, Any]]]:
    from steward.controls.evidence import check_file
    from steward.controls.models import AnswerSource
    from steward.controls.services import LinkIn
    from tests.controls.factories import answer_all, load_catalogue
    from tests.controls.factories import start_assessment as started

    C = "steward.controls.services."
    g = lambda w: access_for_user(w.a.people[Role.GUARDIAN])  # noqa: E731

    def _manual(w: World):  # type: ignore[no-untyped-def]
        return started(w).answers.filter(source=AnswerSource.MANUAL).first()

    def _manual_not_met(w: World):  # type: ignore[no-untyped-def]
        from steward.controls.services import answer_record

        answer = _manual(w)
        answer_record(access=g(w), answer=answer, result="not met",
                      note="No policy")
        return answer

    def _start(w: World) -> dict[str, Any]:
        from steward.controls.models import FrameworkVersion

        load_catalogue()
        return {
            "access": g(w),
            "organisation": w.a.org,
            "version": FrameworkVersion.objects.get(
                framework__slug="dhp2008", is_current=True
            ),
            "period": "2008-09",
        }

    def _withdraw(w: World) -> dict[str, Any]:
        from steward.controls.services import evidence_add

        (item,) = evidence_add(
            access=g(w), answer=_manual(w),
            links=[LinkIn("https://x.example/e")])
        return {"access": g(w), "evidence": item}

    def _sign_off(w: World) -> dict[str, Any]:
        a = started(w)
        answer_all(w, a)
        return {"access": access_for_user(w.a.people[Role.SIRO]),
                "assessment": a}

    return {
        C + "assessment_start": _start,
        C + "assessment_recompute": lambda w: {
            "access": g(w), "assessment": started(w)},
        C + "answer_record": lambda w: {
            "access": g(w), "answer": _manual(w), "result": "not met",
            "note": "No policy yet",
            "files": [check_file("m.pdf", b"%PDF-1.4 x")]},
        C + "evidence_add": lambda w: {
            "access": g(w), "answer": _manual(w),
            "links": [LinkIn("https://x.example/e")]},
        C + "evidence_withdraw": _withdraw,
        C + "assessment_sign_off": _sign_off,
        C + "finding_resolve": lambda w: {
            "access": g(w),
            "finding": _manual_not_met(w).finding,
            "note": "Policy now approved",
        },
    }


S = "steward.organisations.services."
# How to call each service once; the value builds its keyword arguments.
CALLS: dict[str, Callable[[World], dict[str, Any]]] = {
    S + "organisation_create": _org,
    S + "user_create": lambda w: {
        "access": system_access("t"),
        "email": "n@alpha.example",
        "full_name": "N",
        "organisation": w.a.org,
        "role": Role.STAFF,
        "password": "a long enough passphrase",
    },
    S + "membership_grant": lambda w: {
        "access": system_access("t"),
        "user": w.a.people[Role.STAFF],
        "organisation": w.a.agency,
        "role": Role.IAO,
    },
    S + "membership_revoke": lambda w: {
        "access": system_access("t"),
        "membership": Membership.objects.get(
            user=w.a.people[Role.STAFF], organisation=w.a.org
        ),
    },
    S + "siro_appoint": lambda w: {
        "access": system_access("t"),
        "organisation": w.a.org,
        "person": w.a.people[Role.IAO],
    },
    S + "apikey_create": lambda w: {
        "access": access_for_user(w.a.people[Role.SIRO]),
        "organisation": w.a.org,
        "name": "k",
    },
    S + "apikey_revoke": lambda w: {
        "access": system_access("t"),
        "key": w.a.api_key,
    },
    "steward.accounts.services.totp_confirm": _totp,
    "steward.scans.services.location_create": lambda w: {
        "access": system_access("t"), "organisation": w.a.org,
        "name": "Share", "target": "/srv/share"},
    "steward.scans.services.scan_start": lambda w: {
        "access": system_access("t"), "location": _location(w)},
    "steward.scans.services.scan_complete": lambda w: {
        "access": system_access("t"), "run": _run(w),
        "report": _empty_report()},
    "steward.scans.services.scan_fail": lambda w: {
        "access": system_access("t"), "run": _run(w), "reason": "x"},
    "steward.scans.services.scan_upload": lambda w: {
        "access": system_access("t"), "organisation": w.a.org,
        "report": {}},
    "steward.trail.services.ledger_verify": lambda w: {
        "access": system_access("t")},
    "steward.trail.services.copy_report_record": lambda w: {
        "access": system_access("t"), "organisation": w.a.org,
        "idempotency_key": "k", "copied_at": timezone.now(),
        "device": "PC-1", "destination": "email", "file_digests": ["0" * 64],
        "byte_count": 1, "personal_data": {}, "encrypted": True},
    **ASSET_CALLS,
    **INCIDENT_CALLS,
    **_action_calls(),
    **_control_calls(),
    **_assessment_calls(),
}
# Functions in services modules that change no audited state, and why.
NOT_WRITES = {
    S + "grantable_roles": "a question, not a write",
    S + "apikey_authenticate": "reads a key; touches only its last use",
    "steward.audit.services.audit_record": "the audit hook itself",
    "steward.audit.services.state_digest": "a digest, not a write",
    "steward.incidents.services.backoff": "a wait, computed",
    "steward.accounts.services.totp_pending_device": (
        "a draft device; confirming it is the recorded write"
    ),
}


def test_every_service_is_listed() -> None:
    assert sorted(set(_services()) - set(CALLS) - set(NOT_WRITES)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CALLS))
def test_each_service_writes_exactly_one_event(
    world: World, name: str
) -> None:
    kwargs = CALLS[name](world)
    before = AuditEvent.objects.count()
    _services()[name](**kwargs)
    assert AuditEvent.objects.count() == before + 1
