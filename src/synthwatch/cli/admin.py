"""`synthwatch admin`: members, sharing groups and API keys."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated

import typer

from synthwatch.cli.state import CliState
from synthwatch.domain.member import MemberKind, Role
from synthwatch.service import admin as admin_service

app = typer.Typer(help="Administer members, sharing groups and API keys.", no_args_is_help=True)


@app.command("create-member")
def create_member(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The organisation's name as it should appear.")],
    country: Annotated[str, typer.Option("--country", help="ISO 3166-1 alpha-2 code.")],
    kind: Annotated[
        str, typer.Option("--kind", help=f"One of: {', '.join(k.value for k in MemberKind)}.")
    ],
) -> None:
    """Register a member organisation."""
    state: CliState = ctx.obj
    member = admin_service.create_member(state.store(), name, country, kind)
    typer.echo(f"created member {member.name!r} ({member.country}, {member.kind.value})")


@app.command("list-members")
def list_members(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the members of this node."""
    state: CliState = ctx.obj
    members = admin_service.list_members(state.store())
    if as_json:
        typer.echo(json.dumps([m.model_dump(mode="json") for m in members], ensure_ascii=False))
        return
    for member in members:
        typer.echo(f"{member.name}\t{member.country}\t{member.kind.value}")


@app.command("create-group")
def create_group(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Group name, e.g. Trilateral.")],
    members: Annotated[
        list[str] | None, typer.Option("--member", help="A member of the group (repeat).")
    ] = None,
) -> None:
    """Create a sharing group that TLP:AMBER reports can be released to."""
    state: CliState = ctx.obj
    group = admin_service.create_sharing_group(state.store(), name, members or [])
    typer.echo(f"created sharing group {group.name!r} with {len(group.members)} members")


@app.command("create-key")
def create_key(
    ctx: typer.Context,
    member: Annotated[str, typer.Option("--member", help="The member the key acts for.")],
    role: Annotated[
        str, typer.Option("--role", help=f"One of: {', '.join(r.value for r in Role)}.")
    ],
    expires_days: Annotated[
        int | None, typer.Option("--expires-days", help="Lifetime in days (default: none).")
    ] = None,
) -> None:
    """Make an API key; it is printed once, alone on the last line, and only its hash is kept."""
    state: CliState = ctx.obj
    expires_in = timedelta(days=expires_days) if expires_days is not None else None
    plaintext, key = admin_service.create_api_key(
        state.store(), member, role, expires_in=expires_in
    )
    expiry = key.expires_at.isoformat() if key.expires_at else "never"
    typer.echo(f"key {key.key_id} for {key.member!r} as {key.role.value}, expires {expiry}")
    typer.echo("store it now: it cannot be shown again")
    typer.echo(plaintext)


@app.command("list-keys")
def list_keys(
    ctx: typer.Context,
    member: Annotated[str | None, typer.Option("--member", help="Only this member's keys.")] = None,
) -> None:
    """List API keys (ids, never secrets)."""
    state: CliState = ctx.obj
    for key in admin_service.list_api_keys(state.store(), member):
        status = "revoked" if key.revoked_at else "active"
        expiry = key.expires_at.isoformat() if key.expires_at else "never"
        typer.echo(f"{key.key_id}\t{key.member}\t{key.role.value}\t{status}\texpires {expiry}")


@app.command("revoke-key")
def revoke_key(
    ctx: typer.Context,
    key_id: Annotated[str, typer.Argument(help="The key id (the part after sw_).")],
) -> None:
    """Revoke a key at once."""
    state: CliState = ctx.obj
    admin_service.revoke_api_key(state.store(), key_id)
    typer.echo(f"revoked key {key_id}")
