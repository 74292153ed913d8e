from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from steward.actions import services
from steward.actions.models import Action, ActionStatus
from steward.organisations.access import access_for_user
from steward.organisations.models import Role
from tests.actions.factories import raise_action
from tests.world import World, signed_in_client

pytestmark = pytest.mark.django_db


def test_the_list_shows_actions_and_an_empty_state(world: World) -> None:
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    response = client.get(reverse("actions:list"))
    assert "No actions match these filters." in response.content.decode()
    raise_action(world.a)
    page = client.get(reverse("actions:list")).content.decode()
    assert "Encrypt the Zanzibarian laptops" in page
    assert "Raise an action" in page


def test_the_list_shows_what_is_still_to_do_until_asked(world: World) -> None:
    raise_action(world.a, title="Still to do")
    done = raise_action(world.a, title="Finished already")
    services.action_update(
        access=access_for_user(world.a.people[Role.IAO]), action=done,
        status="done", note="Done")  # fmt: skip
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    page = client.get(reverse("actions:list")).content.decode()
    assert "Still to do" in page and "Finished already" not in page
    assert '<option value="open" selected>Open or in progress<' in page
    assert page.count('<option value="open"') == 1
    page = client.get(reverse("actions:list"), {"page": "1"}).content.decode()
    assert "Finished already" not in page
    page = client.get(reverse("actions:list"), {"status": ""}).content.decode()
    assert "Still to do" in page and "Finished already" in page


def test_raising_an_action_in_the_browser(world: World) -> None:
    guardian = world.a.people[Role.GUARDIAN]
    client = signed_in_client(guardian)
    url = reverse("actions:new")
    # Two organisations in reach (the department and its agency): choose.
    assert "Which organisation" in client.get(url).content.decode()
    form = client.get(url, {"organisation": world.a.org.code})
    assert world.a.people[Role.IAO].full_name in form.content.decode()
    response = client.post(
        url,
        {
            "organisation": world.a.org.code,
            "title": "Lock the filing cabinets",
            "owner": str(world.a.people[Role.IAO].pk),
            "due": "31/3/2031",
        },
    )
    action = Action.objects.get(title="Lock the filing cabinets")
    assert response.status_code == 302
    assert response.url == reverse("actions:detail", kwargs={"pk": action.pk})
    assert action.due.isoformat() == "2031-03-31"


def test_raising_with_errors_says_what_and_where(world: World) -> None:
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    response = client.post(
        reverse("actions:new"),
        {"organisation": world.a.org.code, "title": "", "due": "31/2/2031"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter what needs to be done" in page
    assert "Choose who owns the action" in page
    assert "Enter the due date as a real date" in page
    assert not Action.objects.exists()


def test_staff_may_not_raise_actions(world: World) -> None:
    client = signed_in_client(world.a.people[Role.STAFF])
    assert client.get(reverse("actions:new")).status_code == 403


def test_the_owner_updates_on_the_detail_page(world: World) -> None:
    action = raise_action(world.a)
    client = signed_in_client(world.a.people[Role.IAO])
    url = reverse("actions:detail", kwargs={"pk": action.pk})
    response = client.post(
        url,
        {
            "status": "done",
            "owner": str(action.owner_id),
            "due": action.due.strftime("%d/%m/%Y"),
            "note": "All 40 laptops encrypted",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    page = client.get(url).content.decode()
    assert "All 40 laptops encrypted" in page
    assert "Status: Open → Done" in page


def test_someone_who_may_only_read_sees_no_form(world: World) -> None:
    action = raise_action(world.a)
    client = signed_in_client(world.a.people[Role.SIRO])
    assert (
        "Save update"
        in client.get(
            reverse("actions:detail", kwargs={"pk": action.pk})
        ).content.decode()
    )
    staff_owned = raise_action(world.a, owner=world.a.people[Role.STAFF])
    other = signed_in_client(world.a.people[Role.IAO])
    response = other.post(
        reverse("actions:detail", kwargs={"pk": staff_owned.pk}),
        {"status": "done"},
    )
    # IAOs see every action in their organisation but change only theirs.
    assert response.status_code == 403


def test_export_csv_and_xlsx(world: World) -> None:
    raise_action(world.a)
    raise_action(world.b, title="Beta only")
    client = signed_in_client(world.a.people[Role.GUARDIAN])
    csv = client.get(reverse("actions:export", kwargs={"fmt": "csv"}))
    text = b"".join(csv.streaming_content if csv.streaming else [csv.content])
    body = text.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("Reference,Organisation,Action")
    assert "Encrypt the Zanzibarian laptops" in body
    assert "Beta only" not in body
    xlsx = client.get(reverse("actions:export", kwargs={"fmt": "xlsx"}))
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert rows[0][0] == "Reference"
    assert len(rows) == 2
    assert client.get("/actions/export.pdf").status_code == 404


def test_the_home_page_lists_your_actions_and_overdue_ones(
    world: World,
) -> None:
    import datetime as dt

    from django.utils import timezone

    late = raise_action(world.a, title="Fit window locks")
    late.due = timezone.localdate() - dt.timedelta(days=1)
    late.save()
    owner = signed_in_client(world.a.people[Role.IAO]).get("/").content
    assert "Your actions" in owner.decode()
    assert "Fit window locks" in owner.decode()
    siro = signed_in_client(world.a.people[Role.SIRO]).get("/").content
    assert "1 overdue action" in siro.decode()
    staff = signed_in_client(world.a.people[Role.STAFF]).get("/").content
    assert "Your actions" not in staff.decode()

