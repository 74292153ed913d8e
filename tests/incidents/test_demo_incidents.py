"""The demo loads incidents across departments, HMRC's discs first."""

from __future__ import annotations

import pytest

from steward import demo
from steward.incidents.models import Incident, Notification

pytestmark = pytest.mark.django_db


def test_demo_incidents() -> None:
    demo.load()
    discs = Incident.objects.get(summary__startswith="Two discs")
    assert discs.notifiable and discs.tell_subjects
    assert discs.annual_category == "outside"
    assert list(discs.assets.values_list("reference", flat=True)) == [
        "HMRC-CB-001"
    ]
    late = Notification.objects.get(incident=discs, recipient="ico")
    assert late.late and late.delay_reason
    stick = Incident.objects.get(summary__startswith="Encrypted")
    assert stick.notifiable is False
    assert stick.annual_category == "inside"
    assert Incident.objects.filter(organisation__code="dwp").count() == 1
    laptop = Incident.objects.get(summary="Laptop stolen from a car")
    assert laptop.notifiable and laptop.status == "graded"
