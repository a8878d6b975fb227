"""The results page: the PDF links and the charts on a phone."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect


@pytest.mark.e2e
def test_pdf_links_return_pdf(new_context: Any, api: Any) -> None:
    ctx = new_context()
    token = api(ctx).submitted()
    page = ctx.new_page()
    page.goto(f"/r/{token}")
    links = page.locator(".overall a.button[href*='report.pdf']")
    expect(links).to_have_count(2)  # Vietnamese, and the other language
    for link in links.all():
        href = link.get_attribute("href")
        assert href and href.startswith(f"/r/{token}/report.pdf"), href
        resp = page.request.get(urljoin(page.url, href))
        assert resp.status == 200, (href, resp.status, resp.text()[:300])
        assert resp.headers["content-type"].split(";")[0].strip() == "application/pdf", (
            href,
            resp.headers,
        )
        body = resp.body()
        assert body.startswith(b"%PDF-") and len(body) > 10_000, (href, body[:20], len(body))


_CHART_TEXT_JS = """() => [...document.querySelectorAll('.chart-grid svg')].map(svg => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, left: r.left - box.left, right: box.right - r.right,
            size: parseFloat(getComputedStyle(t).fontSize) * box.width
                  / svg.viewBox.baseVal.width};
  });
})"""


@pytest.mark.e2e
@pytest.mark.parametrize("check", ["labels inside the chart", "labels readable"])
def test_charts_fit_a_phone(new_context: Any, api: Any, phone: dict[str, Any], check: str) -> None:
    ctx = new_context(**phone)
    token = api(ctx).submitted(name="Công ty Cổ phần Chuyển đổi số văn hóa")
    page = ctx.new_page()
    page.goto(f"/r/{token}")
    charts = page.evaluate(_CHART_TEXT_JS)
    assert len(charts) == 2 and all(charts), charts
    texts = [t for chart in charts for t in chart]
    if check == "labels inside the chart":
        out = [t["text"] for t in texts if t["left"] < -0.5 or t["right"] < -0.5]
        assert not out, f"chart labels cut off at the chart's edge: {out}"
    else:
        small = sorted({(t["text"], round(t["size"], 1)) for t in texts if t["size"] < 10})
        assert not small, f"chart text under 10 px on a 360 px screen: {small}"
        # the radar's pillar and ring labels: at least 12 px
        radar = sorted({(t["text"], round(t["size"], 1)) for t in charts[0] if t["size"] < 12})
        assert not radar, f"radar text under 12 px on a 360 px screen: {radar}"
        assert {"20%", "40%", "60%", "80%", "100%"} <= {t["text"] for t in charts[0]}
        # on a phone the bars come first, the radar below them at the full width
        bars_box = page.locator(".fig-bars svg").bounding_box()
        radar_box = page.locator(".fig-radar svg").bounding_box()
        assert bars_box["y"] < radar_box["y"], (bars_box, radar_box)
        assert radar_box["width"] >= 280, radar_box
