"""The overview's SVG chart of yearly commitments by payer, drawn on the server (no script).

Built with ElementTree, so every label from the data is escaped and the result is XML.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from .overview import WORDS, yuan
from .standing import BADGES, STATED

SERIES_COLOURS = ("#1d5c8a", "#d08a00", "#6a3d9a", "#2e7d32", "#b00020")


def _axis_value(value: int | float, lang: str) -> str:
    """An axis tick: in 万元 (zh) or million yuan (en), without the unit."""
    scaled = value / 10_000 if lang == "zh" else value / 1_000_000
    return f"{scaled:,.0f}" if scaled == int(scaled) else f"{scaled:,.1f}"


def _nice_step(top: float, ticks: int = 5) -> float:
    raw = top / ticks
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


SVG_NS = "http://www.w3.org/2000/svg"


def chart_svg(chart: dict[str, Any], lang: str) -> str:
    """Grouped bars, one group per plan year, one series (``<g class="series">``) per payer.

    Built with ElementTree, so every label from the data is escaped and the result is XML.
    """
    w = WORDS[lang]
    width, height = 720, 380
    left, right, top, bottom = 64, 16, 56, 70
    plot_w, plot_h = width - left - right, height - top - bottom
    svg = ET.Element("svg", {
        "xmlns": SVG_NS, "class": "chart", "role": "img", "viewBox": f"0 0 {width} {height}",
        "aria-labelledby": "chart-title chart-desc", "preserveAspectRatio": "xMidYMid meet",
    })
    ET.SubElement(svg, "title", {"id": "chart-title"}).text = w["chart"]
    ET.SubElement(svg, "desc", {"id": "chart-desc"}).text = w["chart_assumption"]
    years, series = chart["years"], chart["series"]
    values = [v for s in series for v in s["values"] if v is not None]
    if not years or not series or not values:
        svg.set("viewBox", f"0 0 {width} 40")
        ET.SubElement(svg, "text", {"x": str(width // 2), "y": "24",
                                    "text-anchor": "middle", "class": "empty"}).text = \
            w["chart_empty"]
        return ET.tostring(svg, encoding="unicode")
    step = _nice_step(max(values))
    ceiling = step * -(-max(values) // step)

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * value / ceiling

    axis = ET.SubElement(svg, "g", {"class": "axis"})
    tick = 0.0
    while tick <= ceiling + step / 2:
        y = f"{y_of(tick):.1f}"
        ET.SubElement(axis, "line", {"x1": str(left), "x2": str(width - right), "y1": y,
                                     "y2": y, "class": "grid"})
        ET.SubElement(axis, "text", {"x": str(left - 6), "y": y, "dy": "0.35em",
                                     "text-anchor": "end"}).text = _axis_value(tick, lang)
        tick += step
    ET.SubElement(axis, "text", {"x": "4", "y": str(top - 14),
                                 "class": "unit"}).text = w["chart_axis"]
    group_w = plot_w / len(years)
    bar_w = min(48.0, group_w * 0.8 / len(series))
    for i, label in enumerate(chart["yearLabels"]):
        ET.SubElement(axis, "text", {"x": f"{left + group_w * (i + 0.5):.1f}",
                                     "y": str(top + plot_h + 20), "text-anchor": "middle",
                                     "class": "year"}).text = label
    ET.SubElement(axis, "text", {"x": f"{left + plot_w / 2:.1f}", "y": str(top + plot_h + 42),
                                 "text-anchor": "middle", "class": "note"}).text = \
        f"({w['chart_no_years']})"

    for k, s in enumerate(series):
        colour = SERIES_COLOURS[k % len(SERIES_COLOURS)]
        payer = s["payer"]["label"]
        g = ET.SubElement(svg, "g", {"class": "series", "data-payer": s["payer"]["iri"],
                                     "fill": colour})
        ET.SubElement(g, "title").text = payer
        for i, value in enumerate(s["values"]):
            if value is None:
                continue
            x = left + group_w * i + (group_w - bar_w * len(series)) / 2 + bar_w * k
            bar = ET.SubElement(g, "rect", {
                "class": "bar", "x": f"{x:.1f}", "y": f"{y_of(value):.1f}",
                "width": f"{bar_w - 2:.1f}", "height": f"{y_of(0) - y_of(value):.1f}",
                "data-year": str(years[i]), "data-yuan": str(value)})
            ET.SubElement(bar, "title").text = \
                f"{payer} · {chart['yearLabels'][i]}: {yuan(value, lang)}"
            ET.SubElement(g, "text", {"x": f"{x + (bar_w - 2) / 2:.1f}",
                                      "y": f"{y_of(value) - 4:.1f}", "text-anchor": "middle",
                                      "class": "value"}).text = _axis_value(value, lang)
        # Legend entry, top left.
        lx = left + plot_w / len(series) * k
        ET.SubElement(g, "rect", {"x": f"{lx:.1f}", "y": "6", "width": "14", "height": "14",
                                  "class": "swatch"})
        legend = ET.SubElement(g, "text", {"x": f"{lx + 20:.1f}", "y": "18", "class": "legend"})
        legend.text = payer
        if s.get("standing", STATED) != STATED:  # the series rests on a note: say so here too
            mark = ET.SubElement(legend, "tspan", {"class": f"badge badge-{s['standing']}",
                                                   "data-standing": s["standing"]})
            mark.text = f" ({BADGES[lang][s['standing']]})"
    return ET.tostring(svg, encoding="unicode")
