"""Every auditable action, in one registry.

An action is a namespaced string (``noun.verb``) with a label and a
past-tense message for the audit trail. ``audit_record`` refuses an action
that is not registered here, so the list below is the complete list of
what Steward records.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    label: str
    message: str


ACTIONS: dict[str, Action] = {}


def register(name: str, label: str, message: str) -> None:
    if name in ACTIONS:
        raise ValueError(f"audit action {name!r} is registered twice")
    ACTIONS[name] = Action(label=label, message=message)


register(
    "organisation.create", "Create organisation", "created the organisation"
)
register(
    "organisation.update", "Update organisation", "changed the organisation"
)
register("user.create", "Create person", "added the person")
register("membership.grant", "Grant role", "granted a role")
register("membership.revoke", "Revoke role", "revoked a role")
register("siro.appoint", "Appoint SIRO", "appointed the SIRO")
register("apikey.create", "Create API key", "created an API key")
register("apikey.revoke", "Revoke API key", "revoked an API key")
register("totp.enrol", "Set up two-factor", "set up two-factor sign-in")
register("scan.location", "Add scan location", "added a scan location")
register("scan.start", "Start scan", "started a scan")
register("scan.complete", "Finish scan", "finished a scan")
register("scan.upload", "Upload scan", "uploaded a scan report")
register("ledger.verify", "Verify ledger", "verified the ledger")
register("copy.record", "Report a data copy",
         "reported a copy of data")
register("asset.create", "Register asset", "registered an information asset")
register("asset.update", "Change asset", "changed an information asset")
register("asset.review", "Review asset", "reviewed an information asset")
register("asset.close", "Close asset", "closed an information asset")
register("asset.import", "Import assets", "imported an asset register")
register("incident.report", "Report incident", "reported an incident")
register("incident.complete", "Complete incident",
         "completed an incident's record")
register("incident.grade", "Grade incident", "graded an incident")
register("incident.override", "Override incident grade",
         "overrode an incident's grade")
register("incident.notify", "Notify incident",
         "made an incident notification")
register("incident.close", "Close incident", "closed an incident")
register("incident.learn", "Record lessons",
         "recorded an incident's root cause and lessons")
register("notification.deliver", "Deliver notification",
         "delivered an incident notification")
register("notification.retry", "Notification delivery failed",
         "failed to deliver an incident notification, and will retry")
register("notification.undeliverable", "Notification undeliverable",
         "gave up delivering an incident notification")
register("notification.redeliver", "Redeliver notification",
         "asked for an incident notification to be delivered again")
register("catalogue.load", "Load framework",
         "loaded a framework version into the catalogue")
register("catalogue.confirm", "Confirm framework",
         "confirmed a framework version already in the catalogue")
register("procedure.create", "Record procedure", "recorded a procedure")
register("procedure.review", "Review procedure", "reviewed a procedure")
register("procedure.withdraw", "Withdraw procedure", "withdrew a procedure")
register("assessment.start", "Start assessment", "started an assessment")
register("assessment.recompute", "Run assessment checks",
         "ran an assessment's automated checks again")
register("assessment.answer", "Answer requirement",
         "answered a requirement in an assessment")
register("assessment.evidence", "Add evidence",
         "added evidence to an assessment")
register("assessment.evidence_withdraw", "Withdraw evidence",
         "withdrew evidence from an assessment")
register("assessment.sign_off", "Sign off assessment",
         "signed off an assessment")
register("finding.resolve", "Resolve finding",
         "resolved an assessment finding")
register("action.create", "Raise action", "raised an action")
register("action.update", "Update action", "updated an action")
