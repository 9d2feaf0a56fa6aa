"""``ilms release create|publish|list|verify|audit|protect``."""
from __future__ import annotations

import sys

import click

from ..store import releases
from ..store.changesets import actor
from .base import by_option, fail, get_engine, main, progress


@main.group("release")
def release_group():
    """Releases: named, checksummed cuts in the history. The latest published one is public."""


@release_group.command("create")
@click.argument("name")
@click.option("--description", help="Release notes.")
@click.option("--synthetic", is_flag=True, help="Mark the release as synthetic (demonstration) data.")
@by_option
def release_create(name, description, synthetic, by):
    """Create release NAME from the data as it stands now (not yet public)."""
    try:
        with get_engine().begin() as conn:
            r = releases.create(conn, name, by=actor(by), description=description, synthetic=synthetic)
    except releases.ReleaseError as exc:
        fail(str(exc))
    click.echo(f"created release {r.name}: {r.n_observations} observations, cut at changeset {r.cut}, "
               f"sha256 {r.checksum}")


@release_group.command("publish")
@click.argument("name")
@click.option("--downloads/--no-downloads", default=True, show_default=True,
              help="Build the release's download files right after publishing (else on first request).")
@click.option("--at", "at", metavar="TIME",
              help="Schedule it instead (ISO 8601 with time zone, e.g. 2026-03-31T09:00Z): under embargo, "
                   "invisible on every public route, until then.")
@by_option
def release_publish(name, downloads, at, by):
    """Publish release NAME (now, or at --at TIME): it becomes what the public sees by default.
    Refused (nothing written) when its disclosure audit fails (see `ilms release audit`)."""
    import datetime as dt
    when = None
    if at:
        try:
            when = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
        except ValueError:
            raise click.BadParameter(f"{at!r} is not an ISO 8601 time", param_hint="--at") from None
    engine = get_engine()
    try:
        with engine.begin() as conn:
            r = releases.publish(conn, name, by=actor(by), at=when)
    except releases.ReleaseError as exc:
        fail(str(exc))
    if r.scheduled:
        click.echo(f"scheduled release {r.name} for {r.published_at.isoformat()}: under embargo until then")
        return
    click.echo(f"published release {r.name} ({r.n_observations} observations, sha256 {r.checksum})")
    if downloads:       # after the commit: the build reads the published release and takes a while
        from .downloads import build_downloads
        try:
            build_downloads(engine, name)
        except Exception as exc:    # noqa: BLE001 -- the release is published; say how to finish
            fail(f"release {name} is published, but its downloads were not built ({exc}); "
                 f"run `ilms release build-downloads {name}` (or they are built on first request)")


@release_group.command("list")
def release_list():
    """List releases, oldest first."""
    with get_engine().connect() as conn:
        rows = releases.all_releases(conn)
        latest = releases.latest_published(conn)
    if not rows:
        click.echo("no releases yet")
    for r in rows:
        state = (f"published {r.published_at:%Y-%m-%d %H:%M}" if r.published else
                 f"scheduled {r.published_at:%Y-%m-%d %H:%M}" if r.scheduled else "not published")
        mark = " (latest published)" if latest and latest.name == r.name else ""
        synth = " [synthetic]" if r.synthetic else ""
        click.echo(f"{r.name:<24} {state:<28} {r.n_observations:>9} obs  cut {r.cut:<6} "
                   f"{r.checksum[:12]}{synth}{mark}")


@release_group.command("verify")
@click.argument("name")
def release_verify(name):
    """Recompute the checksum of release NAME; exit 1 if it does not match."""
    try:
        with get_engine().connect() as conn:
            ok, stored, recomputed = releases.verify(conn, name)
    except releases.ReleaseError as exc:
        fail(str(exc), 2)
    if ok:
        click.echo(f"release {name}: OK (sha256 {stored})")
    else:
        fail(f"release {name}: checksum MISMATCH: stored {stored}, recomputed {recomputed}")


def _clusters(conn, name) -> int:
    from ..disclosure.protect import primaries
    found = releases.get(conn, name)
    return len({c for _, c in primaries(conn, found.cut)}) if found else 0


@release_group.command("audit")
@click.argument("name")
def release_audit(name):
    """Audit the disclosure control of release NAME: for every confidential cell, the interval the
    public can prove from the release (its suppression pattern applied), the declared relations and
    the previous published release, against the protection range (ILMS_DISCLOSURE_PROTECTION).
    Prints real values: for curators. Exit 1 if any cell is not protected."""
    from ..disclosure import protect
    try:
        with get_engine().connect() as conn:
            with progress(_clusters(conn, name), "auditing", "cluster") as step:
                result = protect.audit(conn, name, progress=step)
    except releases.ReleaseError as exc:
        fail(str(exc), 2)
    for line in protect.report_lines(result):
        click.echo(line)
    if not result.ok:
        sys.exit(1)


@release_group.command("protect")
@click.argument("name")
def release_protect(name):
    """(Re)compute the secondary suppression pattern of unpublished release NAME (e.g. after another
    release was published, or with other ILMS_DISCLOSURE_* settings) and retake its checksum."""
    from ..disclosure import protect
    try:
        with get_engine().begin() as conn:
            with progress(_clusters(conn, name), "protecting", "cluster") as step:
                made = protect.protect(conn, name, progress=step)
            r = releases.get(conn, name)
    except releases.ReleaseError as exc:
        fail(str(exc))
    click.echo(f"release {name}: {made.n_primary} confidential cell(s), {made.n_secondary} secondary cell(s) "
               f"withheld ({made.objective}; pattern sha256 {made.checksum}); release sha256 {r.checksum}")
