"""A rectification order rendered by app.documents.render, next to a bare WeasyPrint render of the
same HTML in the same run.

No database: the context is the sample snapshot of tests/documents (two officers, --findings
problems, three signature PNGs). The HTML is built once with render.html(); then, after one
warm-up each (fonts, fontconfig caches), the median wall-clock time (time.perf_counter) over
--runs of:

- render_pdf: what the worker calls — check_context, html() (Jinja, the QR code), WeasyPrint with
  the locked fetcher and the process-wide FontConfiguration;
- bare: weasyprint.HTML(string=<that HTML>, base_url=assets).write_pdf(font_config=<the same
  FontConfiguration>) with WeasyPrint's default fetcher; ratio = render_pdf / bare (target ≤ 1.2).

Also prints the parts render_pdf adds (check_context, html()), the PDF size, and writes page 1 as
a PNG (pdftoppm) for a look.

    PYTHONPATH=. .venv/bin/python -m bench.render [--runs R] [--findings N] [--png PATH]
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import subprocess
import tempfile
import time

import pypdf
import weasyprint

from app.documents import render, rules
from app.documents.rules import Kind
from tests.documents import FINDINGS, sample


def timed(fns: dict, runs: int) -> dict[str, tuple[float, object]]:
    """Median seconds over `runs` rounds, and the last result, of each fn, after a warm-up.
    The fns take turns within a round, so a busy neighbour slows them alike."""
    results = {name: fn() for name, fn in fns.items()}
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            results[name] = fn()
            times[name].append(time.perf_counter() - t0)
    return {name: (statistics.median(times[name]), results[name]) for name in fns}


def machine() -> str:
    model = platform.processor()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (
        f"machine: {os.cpu_count()} cores ({model}), Python {platform.python_version()},"
        f" WeasyPrint {weasyprint.__version__}, load average {os.getloadavg()[0]:.2f}"
    )


def order(findings: int) -> dict:
    context = sample(Kind.RECTIFICATION_ORDER, rules.verification_code())
    context["verification"]["url"] = (
        "https://anjian.example.org/api/v1/public/documents/verify/"
        + context["verification"]["code"]
    )
    context["findings"] = [dict(FINDINGS[i % len(FINDINGS)], number=i + 1) for i in range(findings)]
    return context


def pages(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--findings", type=int, default=2)
    parser.add_argument("--png", default=os.path.join(tempfile.gettempdir(), "anjian-order"))
    args = parser.parse_args()

    context = order(args.findings)
    assert rules.check_context(Kind.RECTIFICATION_ORDER, context) == []
    markup = render.html(Kind.RECTIFICATION_ORDER, context)
    fonts = render.font_config()
    print(machine())
    print(
        f"order: {args.findings} findings, HTML {len(markup.encode()) / 1024:.0f} KiB"
        f" (signatures and QR inline as data URIs)"
    )

    def bare() -> bytes:
        document = weasyprint.HTML(string=markup, base_url=render.ASSETS_URL)
        return document.write_pdf(font_config=fonts)

    kind = Kind.RECTIFICATION_ORDER
    parts = timed(
        {
            "check_context": lambda: rules.check_context(kind, context),
            "html() (Jinja + QR)": lambda: render.html(kind, context),
        },
        50,
    )
    renders = timed(
        {"bare WeasyPrint": bare, "render_pdf": lambda: render.render_pdf(kind, context)},
        args.runs,
    )
    floor, bare_pdf = renders["bare WeasyPrint"]
    seconds, pdf = renders["render_pdf"]
    print(f"{'median (after a warm-up)':<34}{'ms':>10}{'/bare':>10}")
    for name, (took, _) in {**parts, **renders}.items():
        print(f"{name:<34}{took * 1000:>10.1f}{took / floor:>10.2f}")
    print(f"ratio render_pdf / bare: {seconds / floor:.2f} (target ≤ 1.2), {args.runs} rounds")
    print(
        f"PDF: {len(pdf) / 1024:.0f} KiB, {pages(pdf)} page(s); bare PDF {len(bare_pdf) / 1024:.0f}"
        f" KiB (two subset Noto Serif CJK faces are most of it)"
    )

    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-singlefile", f.name, args.png], check=True
        )
    print(f"page 1 as PNG: {args.png}.png")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
