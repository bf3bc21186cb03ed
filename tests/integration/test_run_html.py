#!/usr/bin/env python3
"""test_run_html.py - the HTML report in headless Chromium: the page runs its
script without an error, draws every scenario's graph, and a screenshot shows
the path taken (green) and a failing state (red).

A negative control checks the checks: a copy of the page with a broken script
must be caught.
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

STEPBENCH = os.environ.get("STEPBENCH", "build/stepbench")
failures = []


def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def browse(browser, url, *args):
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--no-first-run", "--hide-scrollbars", *args, url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def png_pixels(path):
    """(width, height, rows of RGB tuples) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), "unexpected PNG format"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, rows, bpp


def count_near(rows, bpp, rgb, tol=12):
    n = 0
    for line in rows:
        for x in range(0, len(line), bpp):
            if all(abs(line[x + i] - rgb[i]) <= tol for i in range(3)):
                n += 1
    return n


def dom_state(browser, url):
    out = browse(browser, url, "--dump-dom").stdout
    ready = re.search(r'<body[^>]*data-ready="yes"', out) is not None
    graphs = re.search(r'<body[^>]*data-graphs="(\d+)"', out)
    error = re.search(r'<html[^>]*data-error="([^"]*)"', out)
    return ready, int(graphs.group(1)) if graphs else 0, error.group(1) if error else None, out


def main():
    browser = chromium()
    check(browser is not None, "chromium is installed (scripts/deps.sh installs it)")
    if not browser:
        return 1
    tmp = tempfile.mkdtemp()
    try:
        html = os.path.join(tmp, "report.html")
        # the examples, a failing expectation, and an execution that fails (AWS-faithful verbatim workflow)
        run = subprocess.run([STEPBENCH, "run", "scenarios", "tests/data/runner/never-referral",
                              "tests/data/runner/verbatim", "--html", html, "-q"],
                             capture_output=True, text=True)
        check(run.returncode == 1, "run exits 1 (never-referral fails): %d" % run.returncode)
        check(os.path.exists(html), "the HTML report is written")
        page = open(html, encoding="utf-8").read()
        check(not re.search(r'(src|href)="(https?:)?//', page), "the page loads nothing from outside")
        articles = page.count("<article ")

        url = "file://" + html + "#open"
        ready, graphs, error, _ = dom_state(browser, url)
        check(error is None, "no script error (%s)" % error)
        check(ready, "the page's script ran to the end")
        check(graphs > 0, "the graphs have %d states drawn" % graphs)
        check(page.count('<svg class="graph"') == articles,
              "every scenario has its graph (%d of %d)" % (page.count('<svg class="graph"'), articles))

        # one execution that fails: its graph shows the path (green) and the failing state (red)
        small = os.path.join(tmp, "failing.html")
        subprocess.run([STEPBENCH, "run", "tests/data/runner/verbatim", "--filter", "without", "--html", small, "-q"],
                       capture_output=True)
        shot = os.path.join(tmp, "shot.png")
        browse(browser, "file://" + small + "#open", "--screenshot=" + shot, "--window-size=1000,900")
        check(os.path.exists(shot), "a screenshot is taken")
        if os.path.exists(shot):
            w, h, rows, bpp = png_pixels(shot)
            green = count_near(rows, bpp, (0xd7, 0xf5, 0xdd))  # states on the path
            red = count_near(rows, bpp, (0xfd, 0xe0, 0xe0))    # the state the execution failed in
            check(green > 2000, "the path taken is drawn (%d green pixels)" % green)
            check(red > 1000, "the failing state is marked (%d red pixels)" % red)

        # negative control: the same checks catch a broken page
        broken = os.path.join(tmp, "broken.html")
        text = open(small, encoding="utf-8").read()
        open(broken, "w", encoding="utf-8").write(text.replace("(function(){", "(function(){ nosuchcall();", 1))
        ready, graphs, error, _ = dom_state(browser, "file://" + broken)
        check(error is not None and not ready, "a script error in the page is detected (%s)" % error)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("test_run_html: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
