"""`peacemap plans`: the plans peacemap ships, and what each one does."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from peacemap.layers.sources.codes import REGION_NAMES

if TYPE_CHECKING:  # the plan model is imported when a command runs, so that --help stays light
    from peacemap.pipeline.listings import RegionRule


@click.group(invoke_without_command=True)
@click.pass_context
def plans(ctx: click.Context) -> None:
    """List the shipped plans with their date and source.

    \b
    Examples:
      peacemap plans
      peacemap plans show plan28
      peacemap plans show my-plan.toml
    """
    if ctx.invoked_subcommand is None:
        from peacemap.pipeline.listings import builtin_plans

        for plan in builtin_plans():
            click.echo(f"{plan.id:12} {plan.date.isoformat()}  {plan.title}")
            click.echo(f"{'':12} text: {plan.text_date() or 'no dated text'}; source: {plan.source['name']}")


@plans.command()
@click.argument("plan_ref", metavar="ID|FILE")
def show(plan_ref: str) -> None:
    """Print a plan's provisions, its rule for each region, and its options.

    \b
    Examples:
      peacemap plans show plan20
    """
    from peacemap.pipeline.listings import load_plan

    plan = load_plan(plan_ref)
    click.echo(f"{plan.title} ({plan.id}), drawn by default on {plan.date.isoformat()}; text: {plan.text_date() or 'no dated text'}")
    click.echo(f"Source: {plan.source['name']}")
    click.echo(f"Origin: {plan.origin_text()}")
    for key in ("reprint", "published"):
        if key in plan.source:
            click.echo(f"  {key}: {plan.source[key]}")
    if plan.summary:
        click.echo(f"\n{plan.summary}")
    click.echo("\nProvisions:")
    for provision in plan.provisions:
        click.echo(f"  [{provision.id}] {provision.text}")
        if provision.ambiguous:
            click.echo(f"        ambiguous: {provision.ambiguous}")
    click.echo("\nRules:")
    for code, rule in plan.rules.items():
        click.echo(f"  {code} {REGION_NAMES[code]:15} {rule.rule:11} {_provisions(rule)}{'  (' + rule.note + ')' if rule.note else ''}")
        click.echo(f"{'':8}{_treatment(rule)}")
    click.echo(f"  {'elsewhere':21} {plan.elsewhere.rule:11} {_provisions(plan.elsewhere)}")
    click.echo(f"{'':8}{_treatment(plan.elsewhere, named=False)}")
    if plan.options:
        click.echo("\nOptions (off unless asked for with --option ID):")
        for option in plan.options:
            click.echo(f"  {option.id}: {option.description}")
            if option.elsewhere is not None:
                click.echo(f"        elsewhere: {option.elsewhere.rule}, {_treatment(option.elsewhere, named=False)}")
            if option.ambiguous:
                click.echo(f"        ambiguous: {option.ambiguous}")
    for note in plan.notes:
        click.echo(f"\nNote: {note}")


def _treatment(rule: RegionRule, *, named: bool = True) -> str:
    """How the rule treats each part of a region (``named``: the plan names the region; else
    through ``[elsewhere]``): the status label, and who recognises it."""
    parts = {
        part: rule.status(part, named=named).label + (f", {rule.recognised_by_of(part)}" if rule.recognised_by_of(part) else "")
        for part in ("occupied", "held")
    }
    if parts["occupied"] == parts["held"]:
        return parts["held"]
    return f"occupied: {parts['occupied']}; held: {parts['held']}"


def _provisions(rule: RegionRule) -> str:
    if rule.occupied_provision and rule.occupied_provision != rule.provision:
        return f"provision {rule.occupied_provision} (occupied part), {rule.provision} (held part)"
    return f"provision {rule.provision}" if rule.provision else ""
