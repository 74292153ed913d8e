"""The steward command, through Typer's runner."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from steward.accounts.models import User
from steward.cli import _register, app
from steward.organisations.models import Membership, SiroAppointment
from tests.world import World

_register()
runner = CliRunner()


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("run", "demo", "worker", "user", "check"):
        assert command in result.output


@pytest.mark.django_db
def test_user_create_adds_a_person_with_a_role(world: World) -> None:
    result = runner.invoke(
        app,
        [
            "user",
            "create",
            "--email",
            "New.Person@alpha.example",
            "--name",
            "New Person",
            "--org",
            "alpha",
            "--role",
            "guardian",
            "--password",
            "a long enough passphrase",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Added new.person@alpha.example as guardian" in result.output
    user = User.objects.get(email="new.person@alpha.example")
    assert Membership.objects.filter(user=user, role="guardian").exists()


@pytest.mark.django_db
def test_user_create_as_siro_appoints_them(world: World) -> None:
    result = runner.invoke(
        app,
        [
            "user",
            "create",
            "--email",
            "boss@beta.example",
            "--name",
            "Boss",
            "--org",
            "beta",
            "--role",
            "siro",
            "--password",
            "a long enough passphrase",
        ],
    )
    assert result.exit_code == 0, result.output
    current = SiroAppointment.objects.get(
        organisation=world.b.org, ended_at__isnull=True
    )
    assert current.person.email == "boss@beta.example"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args,message",
    [
        (
            ["--org", "nowhere", "--role", "staff"],
            "No organisation has the code 'nowhere'",
        ),
        (["--org", "alpha", "--role", "emperor"], "'emperor' is not a role"),
        (
            ["--org", "alpha", "--role", "central"],
            "Your role does not allow granting that role here",
        ),
    ],
)
def test_user_create_explains_bad_input_and_changes_nothing(
    world: World, args: list[str], message: str
) -> None:
    before = User.objects.count()
    result = runner.invoke(
        app,
        [
            "user",
            "create",
            "--email",
            "x@alpha.example",
            "--name",
            "X",
            *args,
            "--password",
            "a long enough passphrase",
        ],
    )
    assert result.exit_code == 2
    assert message in result.output.replace("\n", " ")
    assert User.objects.count() == before


@pytest.mark.django_db
def test_user_create_rejects_a_weak_password(world: World) -> None:
    result = runner.invoke(
        app,
        [
            "user",
            "create",
            "--email",
            "x@alpha.example",
            "--name",
            "X",
            "--org",
            "alpha",
            "--role",
            "staff",
            "--password",
            "short",
        ],
    )
    assert result.exit_code == 2
    assert "password: This password is too short" in result.output


@pytest.mark.django_db
def test_check_reports_each_finding() -> None:
    result = runner.invoke(app, ["check"])
    assert "Database reachable" in result.output
    assert "Migrations applied" in result.output
    # Tests run without collected static files, so check says so.
    assert result.exit_code == 1
    assert "Static files collected" in result.output


def test_a_quiet_worker_logs_failures_but_not_every_task() -> None:
    import logging

    from steward.cli.worker import _command

    quiet = _command(quiet=True)
    quiet.configure_logging(1)
    for name in ("django_tasks", "django_tasks_db"):
        logger = logging.getLogger(name)
        assert not logger.isEnabledFor(logging.INFO)
        assert logger.isEnabledFor(logging.ERROR)
    _command(quiet=False).configure_logging(1)
    assert logging.getLogger("django_tasks_db").isEnabledFor(logging.INFO)
