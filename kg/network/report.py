"""Pictures and a self-contained HTML page of a centrality result.

The picture: nodes placed by a seeded spring layout, sized by the first measure's score,
coloured by kind (kg.network.projection.KINDS), the top nodes labelled. As a PNG or SVG file it
is drawn by matplotlib (Agg canvas, no pyplot state, :func:`draw`); in the HTML page it is the
same picture written as inline SVG here (:func:`svg_picture`): importing matplotlib alone took
0.35 s of the page's cold start, which must stay under 1 s. The page holds the picture and the
ranked tables and loads nothing from anywhere else.
"""

from __future__ import annotations

import html
import io
from typing import Any

from kg.network.measures import MEASURES, CentralityResult, RankedNode
from kg.network.projection import KINDS, qname

#: One colour per kind (colour-blind-safe Okabe-Ito first, then tab20 tones), in KINDS order.
PALETTE = (
    "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7", "#F0E442",
    "#8C564B", "#7F7F7F", "#17BECF", "#BCBD22", "#AEC7E8", "#FF9896", "#C5B0D5",
)  # fmt: skip
OTHER_COLOUR = "#333333"
#: Background of the top row of each table (the browser test looks for it).
TOP_ROW_COLOUR = "#FFE08A"
#: How many of the best nodes get a label in the picture, at most.
MAX_LABELS = 15
LAYOUT_SEED = 7


def kind_colours() -> dict[str, str]:
    return {label: PALETTE[i % len(PALETTE)] for i, (_, label) in enumerate(KINDS)}


def _layout(g: Any) -> dict[Any, tuple[float, float]]:
    import networkx as nx

    n = g.number_of_nodes()
    pos = nx.spring_layout(
        g.to_undirected(as_view=True), seed=LAYOUT_SEED, k=1.6 / max(n, 1) ** 0.5, iterations=200
    )
    return {node: (float(x), float(y)) for node, (x, y) in pos.items()}


def _size(score: float, low: float, span: float) -> float:
    """Marker area (points²) of a node: 30 for the lowest score, 930 for the highest."""
    return 30 + 900 * (score - low) / span


def draw(
    result: CentralityResult, fmt: str = "png", labels: int = 10, title: str | None = None
) -> bytes:
    """The picture of the projection as PNG or SVG bytes (same input, same bytes)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    g = result.projection.graph
    ranking = result.rankings[0]
    scores = {row.iri: float(row.score) for row in ranking.rows}
    pos = _layout(g)
    colours = kind_colours()
    low, high = min(scores.values()), max(scores.values())
    span = (high - low) or 1.0

    with matplotlib.rc_context({"svg.hashsalt": "kg-centrality", "font.size": 8}):
        fig = Figure(figsize=(10, 7.5), dpi=120)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.01, 0.01, 0.82, 0.92))
        ax.set_axis_off()
        segments = [(pos[a], pos[b]) for a, b in g.edges()]
        ax.add_collection(
            LineCollection(segments, colors="#9a9a9a", linewidths=0.6, alpha=0.7, zorder=1)
        )
        nodes = sorted(g.nodes, key=lambda n: (scores[n], str(n)))  # biggest drawn last, on top
        ax.scatter(
            [pos[n][0] for n in nodes],
            [pos[n][1] for n in nodes],
            s=[_size(scores[n], low, span) for n in nodes],
            c=[colours.get(g.nodes[n]["kind"], OTHER_COLOUR) for n in nodes],
            edgecolors="#222222",
            linewidths=0.5,
            zorder=2,
        )
        for row in ranking.rows[: min(labels, MAX_LABELS)]:
            x, y = pos[row.iri]
            ax.annotate(
                row.label if len(row.label) <= 40 else row.label[:39] + "…",
                (x, y),
                xytext=(_size(scores[row.iri], low, span) ** 0.5 / 2 + 3, 0),  # right of the disc
                textcoords="offset points",
                va="center",
                fontsize=10,
                zorder=3,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.6},
            )
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        ax.set_xlim(min(xs) - 0.1, max(xs) + 0.3)
        ax.set_ylim(min(ys) - 0.1, max(ys) + 0.1)
        present = sorted(
            {g.nodes[n]["kind"] for n in g},
            key=lambda k: list(colours).index(k) if k in colours else 99,
        )
        handles = [
            Line2D([], [], marker="o", linestyle="", markersize=7, markerfacecolor=colours.get(k, OTHER_COLOUR),
                   markeredgecolor="#222222", label=k)
            for k in present
        ]  # fmt: skip
        fig.legend(
            handles=handles,
            loc="upper right",
            bbox_to_anchor=(0.995, 0.93),
            fontsize=9,
            frameon=False,
            title="kind",
        )
        fig.suptitle(title or f"Entities sized by {ranking.measure}", fontsize=13)
        buf = io.BytesIO()
        if fmt == "svg":
            fig.savefig(buf, format="svg", metadata={"Date": None})
        else:
            fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


#: The inline picture's size in pixels (matplotlib's figure: 10 x 7.5 inches at 100 dpi) and its
#: plot area (the axes' rectangle, as fractions of the figure), as :func:`draw` lays them out.
SVG_WIDTH, SVG_HEIGHT = 1000, 750
_AXES = (0.01, 0.01, 0.82, 0.92)
_PT = 100 / 72  # (pixels per point)


def svg_picture(result: CentralityResult, labels: int = 10) -> str:
    """The picture of :func:`draw` as an inline SVG element (text, same input, same text): edges,
    nodes sized by the first measure's score (the same areas), the top ``labels`` nodes labelled,
    a legend of the kinds present, a title. Each node carries its label and score as a tooltip."""
    g = result.projection.graph
    ranking = result.rankings[0]
    scores = {row.iri: float(row.score) for row in ranking.rows}
    names = {row.iri: row.label for row in ranking.rows}
    pos = _layout(g)
    colours = kind_colours()
    low, high = min(scores.values()), max(scores.values())
    span = (high - low) or 1.0
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    x0, x1, y0, y1 = min(xs) - 0.1, max(xs) + 0.3, min(ys) - 0.1, max(ys) + 0.1
    left, bottom, width, height = _AXES

    def at(node: object) -> tuple[float, float]:
        x, y = pos[node]
        px = (left + width * (x - x0) / ((x1 - x0) or 1.0)) * SVG_WIDTH
        py = (1 - bottom - height * (y - y0) / ((y1 - y0) or 1.0)) * SVG_HEIGHT
        return px, py

    def radius(node: object) -> float:
        return _size(scores[node], low, span) ** 0.5 / 2 * _PT

    out = [
        f'<svg class="entity-graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SVG_WIDTH} {SVG_HEIGHT}" '
        f'width="{SVG_WIDTH}" height="{SVG_HEIGHT}" role="img" font-family="DejaVu Sans, sans-serif">',
        f'<rect width="{SVG_WIDTH}" height="{SVG_HEIGHT}" fill="#ffffff"/>',
        f'<text x="{SVG_WIDTH / 2:.1f}" y="{0.05 * SVG_HEIGHT:.1f}" text-anchor="middle" font-size="{13 * _PT:.1f}">'
        f"{html.escape(f'Entities sized by {ranking.measure}')}</text>",
        '<g stroke="#9a9a9a" stroke-width="0.8" stroke-opacity="0.7">',
    ]
    for a, b in sorted(g.edges(), key=lambda e: (str(e[0]), str(e[1]))):
        (ax, ay), (bx, by) = at(a), at(b)
        out.append(f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}"/>')
    out.append('</g>\n<g stroke="#222222" stroke-width="0.7">')
    for node in sorted(g.nodes, key=lambda n: (scores[n], str(n))):  # biggest drawn last, on top
        x, y = at(node)
        fill = colours.get(g.nodes[node]["kind"], OTHER_COLOUR)
        tip = html.escape(f"{names.get(node, qname(node))} ({g.nodes[node]['kind']}): {scores[node]:g}")
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius(node):.1f}" fill="{fill}"><title>{tip}</title></circle>')
    out.append('</g>\n<g font-size="{:.1f}" dominant-baseline="middle" paint-order="stroke" stroke="#ffffff" '
               'stroke-width="3" stroke-opacity="0.6" fill="#111111">'.format(10 * _PT))
    for row in ranking.rows[: min(labels, MAX_LABELS)]:
        x, y = at(row.iri)
        text = row.label if len(row.label) <= 40 else row.label[:39] + "…"
        out.append(f'<text x="{x + radius(row.iri) + 3 * _PT:.1f}" y="{y:.1f}">{html.escape(text)}</text>')
    present = sorted({g.nodes[n]["kind"] for n in g}, key=lambda k: list(colours).index(k) if k in colours else 99)
    lx, ly = 0.845 * SVG_WIDTH, 0.1 * SVG_HEIGHT
    out.append(f'</g>\n<g font-size="{9 * _PT:.1f}" dominant-baseline="middle" fill="#111111">')
    out.append(f'<text x="{lx:.1f}" y="{ly:.1f}">kind</text>')
    for i, kind in enumerate(present):
        y = ly + (i + 1) * 18
        fill = colours.get(kind, OTHER_COLOUR)
        out.append(f'<circle cx="{lx + 5:.1f}" cy="{y:.1f}" r="5" fill="{fill}" stroke="#222222" stroke-width="0.7"/>')
        out.append(f'<text x="{lx + 16:.1f}" y="{y:.1f}">{html.escape(kind)}</text>')
    out.append("</g>\n</svg>")
    return "\n".join(out)


_CSS = """
body { font-family: system-ui, sans-serif; margin: 16px; color: #111; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px 0; }
p.summary { margin: 0 0 12px 0; color: #444; font-size: 13px; }
.layout { display: flex; gap: 16px; align-items: flex-start; }
.tables { flex: 0 0 520px; }
.picture { flex: 1 1 auto; min-width: 0; }
figure.entity-graph { margin: 0; }
svg.entity-graph { width: 100%; height: auto; border: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 12px; margin-bottom: 16px; width: 100%; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 3px 6px; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.top td { background: TOP; font-weight: 600; }
code { font-size: 11px; color: #555; }
details { font-size: 12px; color: #444; }
.divisions-map { margin: 16px 0 0 0; }
.divisions-map svg { width: 100%; height: auto; border: 1px solid #ddd; background: #fff; }
figcaption, p.no-map { font-size: 12px; color: #444; }
""".replace("TOP", TOP_ROW_COLOUR)


def _row_html(row: RankedNode, first: bool) -> str:
    cls = ' class="top"' if first else ""
    return (
        f'<tr{cls}><td class="num">{row.rank}</td><td>{html.escape(row.label)}</td>'
        f'<td>{html.escape(row.cls)}</td><td class="num">{row.score}</td>'
        f"<td><code>{html.escape(qname(row.iri))}</code></td></tr>"
    )


def shown_entities(result: CentralityResult, top: int | None = 20) -> list[str]:
    """The IRIs of the entities the report's tables show (the top ``top`` of each measure), sorted."""
    return sorted({str(row.iri) for ranking in result.rankings for row in ranking.top(top)})


def html_report(
    result: CentralityResult,
    top: int | None = 20,
    source: str = "",
    divisions_map: str = "",
) -> str:
    """A self-contained HTML page: summary, the picture (inline SVG, :func:`svg_picture`), one ranked table per
    measure (the top ``top`` rows; all when ``top`` is None or 0) and, when given, the map of
    the divisions the entities shown are in (an HTML fragment: kg.reference.map's
    ``divisions_map_html`` for :func:`shown_entities`)."""
    proj = result.projection
    picture = svg_picture(result, labels=top or MAX_LABELS)
    measures = ", ".join(r.measure for r in result.rankings)
    direction = "directed" if proj.directed else "undirected"
    summary = (
        f"{proj.nodes} entities and {proj.edges} links ({direction}); "
        f"{proj.isolated} entities without links left out. Source: {html.escape(source or 'the graph given')}."
    )
    tables = []
    for ranking in result.rankings:
        m = MEASURES[ranking.measure]
        rows = "\n".join(_row_html(row, i == 0) for i, row in enumerate(ranking.top(top)))
        tables.append(
            f'<table id="ranking-{m.name}">\n<caption>{html.escape(m.name)}: {html.escape(m.summary)}</caption>\n'
            '<thead><tr><th class="num">rank</th><th>label</th><th>class</th><th class="num">score</th><th>IRI</th>'
            f"</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>"
        )
    predicates = ", ".join(f"{html.escape(name)} ({count})" for name, count in proj.predicates)
    alt = f"The entity graph: {proj.nodes} nodes sized by {result.rankings[0].measure}, coloured by kind"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Centrality: {html.escape(measures)}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>Centrality: {html.escape(measures)}</h1>
<p class="summary">{summary}</p>
<div class="layout">
<div class="tables">
{chr(10).join(tables)}
</div>
<div class="picture">
<figure class="entity-graph" aria-label="{html.escape(alt)}">
{picture}
</figure>
<details><summary>Links by predicate</summary><p>{predicates}</p></details>
{divisions_map}
</div>
</div>
</body>
</html>
"""
