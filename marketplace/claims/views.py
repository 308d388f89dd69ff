"""Pages of claims and reviews, and the `flask claims escalate-due` command."""

import click
from flask import Blueprint

from .. import transaction
from ..clock import utcnow

bp = Blueprint("claims", __name__, url_prefix="/claims", cli_group="claims")


@bp.cli.command("escalate-due")
def escalate_due() -> None:
    """Send to the administrators the claims not answered within CLAIM_ANSWER_HOURS."""
    from .services import escalate_due_claims

    count = escalate_due_claims(utcnow())
    transaction.commit()
    click.echo(f"{count} claim(s) escalated")
