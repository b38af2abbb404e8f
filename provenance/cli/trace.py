"""``provenance trace`` (work in progress in this commit)."""

import click


@click.command()
@click.argument("paths", nargs=-1, required=True)
def trace(paths: tuple[str, ...]) -> None:
    """Trace derivation among the texts at PATHS."""
    raise click.ClickException("trace is not implemented yet")
