"""Flask CLI commands: demo data and translation catalogues."""

import importlib
from pathlib import Path

import click
from flask import Flask, current_app

from . import transaction
from .scale.generate import load_prefecture

# Each demo loader is a module with `load(scale)`: idempotent, flushes, never commits;
# the command commits after each with `transaction.commit()`, so on_commit work runs.
DEMO_LOADERS = (
    "regions.demo",
    "accounts.demo",
    "logistics.demo",
    "households.demo",
    "catalog.demo",
    "catalog.demo_freight",
    "orders.demo",
    "orders.demo_deliveries",
    "orders.demo_express",
    "orders.demo_carriers",
    "payments.demo",
    "reports.demo",
)


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(i18n)
    app.cli.add_command(payments)
    from .jobs.commands import jobs

    app.cli.add_command(jobs)
    app.cli.add_command(orders)


@click.group()
def orders() -> None:
    """Sale work that runs outside a request."""


@orders.command("auto-confirm")
def auto_confirm() -> None:
    """Confirm receipt of express parcels handed to their carrier AUTO_CONFIRM_DAYS or more
    ago and still not delivered (income recognised); prints each one."""
    from .orders.actions import auto_confirm_days, auto_confirm_due

    confirmed = auto_confirm_due()
    lines = [
        f"{f.order.reference} {f.parcel.code} {f.parcel.carrier} {f.parcel.tracking_no}"
        for f in confirmed
    ]
    transaction.commit()
    for line in lines:
        click.echo(f"confirmed {line}")
    click.echo(f"{len(lines)} parcel(s) confirmed (AUTO_CONFIRM_DAYS={auto_confirm_days()})")


@click.group()
def payments() -> None:
    """Payments work that runs outside a request."""


@payments.command("send-refunds")
def send_refunds() -> None:
    """Send again the Stripe refunds still pending (Stripe was unreachable when they were
    made: automatic and cancellation refunds wait for this); the same key each time."""
    from .payments.sending import send_pending_refunds

    sent = send_pending_refunds()
    transaction.commit()
    click.echo(f"{sent} refund(s) sent to Stripe")


@click.command("seed-demo")
@click.option(
    "--scale",
    type=click.Choice(["demo", "prefecture"]),
    default="demo",
    help="demo: a small, hand-made Linxia; prefecture: full-size generated data.",
)
@click.option(
    "--orders",
    type=click.IntRange(min=1),
    default=None,
    help="prefecture only: number of orders (default 1,000,000); other counts scale with it.",
)
@click.option("--seed", type=int, default=622900, help="prefecture only: random seed.")
def seed_demo(scale: str, orders: int | None, seed: int) -> None:
    """Load the Linxia demo data (running it again changes nothing)."""
    if scale == "prefecture":
        # The generator makes stations, households, catalogue and trade itself, after the
        # regions (8 sample villages per township, topped up to 1,090 by the generator) and
        # the demo accounts.
        _run_loaders(("regions.demo", "accounts.demo"), "demo")
        summary = load_prefecture(orders=orders, seed=seed)
        transaction.commit()
        click.echo(f"prefecture: {summary}")
        return
    _run_loaders(DEMO_LOADERS, scale)


def _run_loaders(names, scale: str) -> None:
    for name in names:
        module = importlib.import_module(f"marketplace.{name}")
        summary = module.load(scale=scale)
        transaction.commit()
        click.echo(f"{name}: {summary}")


@click.group()
def i18n() -> None:
    """Translation catalogues (one per package)."""


@i18n.command("update")
def i18n_update() -> None:
    """Re-extract strings into every package's .po, keeping translations."""
    from . import i18n as catalogues

    missing = catalogues.update(Path(current_app.root_path))
    for name, count in missing.items():
        click.echo(f"{name}: {count} untranslated")


@i18n.command("missing")
def i18n_missing() -> None:
    """Print the untranslated strings of every package as JSON."""
    import json

    from . import i18n as catalogues

    click.echo(
        json.dumps(
            catalogues.untranslated(Path(current_app.root_path)), ensure_ascii=False, indent=1
        )
    )


@i18n.command("fill")
@click.argument("package")
@click.argument("json_file", type=click.File(encoding="utf-8"))
def i18n_fill(package: str, json_file) -> None:
    """Set translations for PACKAGE ('core' or a package name) from a JSON {msgid: text}."""
    import json

    from . import i18n as catalogues

    count = catalogues.fill(Path(current_app.root_path), package, json.load(json_file))
    click.echo(f"{package}: {count} translations set")


@i18n.command("compile")
def i18n_compile() -> None:
    """Compile every .po into the .mo files Flask-Babel reads."""
    from . import i18n as catalogues

    count = catalogues.compile_all(Path(current_app.root_path))
    click.echo(f"compiled {count} catalogues")
