"""``kg synth``."""

from __future__ import annotations

import click

from kg.cli.progress import progress_bar
from kg.synth.write import write_synth


@click.command()
@click.option(
    "--firms", type=click.IntRange(min=1), required=True, help="How many firms to generate."
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Random seed: the same seed gives the same bytes.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=str),
    required=True,
    help="File to write; the suffix picks the format: .nq (N-Quads, one named graph per source), "
    ".trig, .nt or .ttl (triples only).",
)
def synth(firms: int, seed: int, output: str) -> None:
    """Write synthetic national-scale data in the project's ontology (for benchmarks).

    Provinces, cities and districts in China's real proportions, parks and sub-parks, firms with
    founding years, industries, people in roles, supplier and investor links and measurements
    with their sources. It streams: memory stays flat however many firms are asked for. A
    summary goes to stderr.

    Example: kg synth --firms 1000 --seed 1 --output synth.nq
    """

    with progress_bar("synth", total=firms, unit="firms") as advance:
        result = write_synth(output, firms, seed, progress=advance)
    size = result.size
    click.echo(
        f"wrote {result.path}: {result.format}, {size.firms} firms, {result.triples} triples, "
        f"{result.bytes} bytes in {result.seconds:.1f} s ({size.provinces} provinces, {size.cities} cities, "
        f"{size.districts} districts, {size.parks} parks, {size.sources} sources)",
        err=True,
    )
