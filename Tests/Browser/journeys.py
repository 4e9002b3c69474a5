#!/usr/bin/env python3
"""Drives headless Chromium through the reading app's main journeys, as a reader would.

It starts `parallax serve` on a free loopback port over a fresh copy of the demo library,
and a second local server with an article page, then talks to Chromium over the DevTools
protocol (on a pipe, so no port is opened): sign in, read the list, search as you type,
open an article, highlight a selection with the mouse, scroll, mark it read, save the other
server's page with the bookmarklet, and open an event's framing report. It checks each page,
that no Content-Security-Policy violation or script error happened, and then the library
file itself. Screenshots of each page go to --screenshots.

Exit codes: 0 passed, 77 skipped (no Chromium), 1 failed. Only the standard library is used.
"""
import argparse
import base64
import http.server
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

ARTICLE = """<!DOCTYPE html><html lang="en"><head><title>Harbour pilots join the strike | Harbour Times</title>
<meta property="og:site_name" content="Harbour Times"></head><body><nav><a href="/">Home</a></nav>
<article><h1>Harbour pilots join the strike</h1>
<p>Harbour pilots voted on Wednesday to join the dockworkers' strike, leaving ships unable to
enter the port without a pilot on board, the pilots' association said.</p>
<p>The strike began last week after talks over automation collapsed. Employers said the new
cranes would not cost jobs; the union said crews would be cut by half within five years.</p>
<p>Shipping lines have begun diverting vessels to ports across the border, according to
industry data, and retailers warned of empty shelves before the holidays.</p>
</article><footer>Subscribe</footer></body></html>"""


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class DevTools:
    """The Chrome DevTools protocol over --remote-debugging-pipe: JSON messages ending in NUL."""

    def __init__(self, chromium, profile):
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()

        def wire():
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--user-data-dir=" + profile, "--window-size=1200,1500", "--hide-scrollbars",
             "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
            # The pipes must be fds 3 and 4 in the browser. Closing the other fds would close
            # them again after the move, so only what is inheritable (the two moved) is passed on.
            close_fds=False, preexec_fn=wire,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def send(self, method, params=None, session=True, timeout=30):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while time.time() < deadline:
            reply = self.read(deadline - time.time())
            if reply is None:
                continue
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise Failure(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)
        raise Failure(f"{method}: no reply from Chromium")

    def read(self, timeout):
        import select
        while b"\0" not in self.buffer:
            ready, _, _ = select.select([self.from_browser], [], [], max(0.0, timeout))
            if not ready:
                return None
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                raise Failure("Chromium closed its pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_event(self, predicate, timeout=20):
        deadline = time.time() + timeout
        while True:
            for index, event in enumerate(self.events):
                if predicate(event):
                    return self.events.pop(index)
            if time.time() > deadline:
                raise Failure("timed out waiting for the browser")
            event = self.read(deadline - time.time())
            if event is not None:
                self.events.append(event)

    def attach(self, target):
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(domain + ".enable")

    def navigate(self, url):
        self.events = [e for e in self.events if e.get("method") != "Page.loadEventFired"]
        self.send("Page.navigate", {"url": url})
        self.wait_for_load()

    def wait_for_load(self):
        session = self.session
        self.wait_event(lambda e: e.get("method") == "Page.loadEventFired" and e.get("sessionId") == session)

    def evaluate(self, expression, gesture=False):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True, "userGesture": gesture})
        if "exceptionDetails" in result:
            raise Failure(f"script failed: {expression[:80]}: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")

    def wait_until(self, expression, message, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(expression):
                return
            time.sleep(0.1)
        raise Failure(message)

    def click(self, selector):
        """A real mouse click in the middle of the element."""
        box = self.evaluate(
            f"(function(){{var e=document.querySelector({json.dumps(selector)});if(!e)return null;"
            "e.scrollIntoView({block:'center'});var r=e.getBoundingClientRect();"
            "return [r.left+r.width/2,r.top+r.height/2];})()")
        check(box is not None, f"no element {selector}")
        self.mouse("mousePressed", box[0], box[1])
        self.mouse("mouseReleased", box[0], box[1])

    def mouse(self, kind, x, y):
        params = {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}
        if kind == "mouseMoved":
            params["buttons"] = 1
        self.send("Input.dispatchMouseEvent", params)

    def screenshot(self, folder, name):
        if not folder:
            return
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        with open(os.path.join(folder, name + ".png"), "wb") as file:
            file.write(base64.b64decode(data))

    def problems(self):
        """Script errors and policy violations the pages reported."""
        found = []
        for event in self.events:
            if event.get("method") == "Runtime.exceptionThrown":
                found.append(event["params"]["exceptionDetails"].get("text", "exception"))
            if event.get("method") == "Log.entryAdded":
                entry = event["params"]["entry"]
                if entry.get("level") == "error" and "favicon" not in entry.get("url", ""):
                    found.append(entry.get("text", ""))
        return found

    def close(self):
        self.process.kill()
        self.process.wait()


def article_server():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = ARTICLE.encode()
            self.send_response(200 if self.path == "/story.html" else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def start_server(parallax, library):
    process = subprocess.Popen([parallax, "serve", "--library", library, "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        line = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:(\d+)/login\?token=\S+)", line)
        if match:
            return process, match.group(1), "http://127.0.0.1:" + match.group(2)
        if process.poll() is not None:
            raise Failure("parallax serve stopped: " + process.stderr.read().strip())
    raise Failure("parallax serve printed no sign-in link")


def journeys(browser, parallax, login, base, page_server, shots):
    # Sign in, then the list.
    browser.navigate(login)
    check(browser.evaluate("location.pathname") == "/", "the sign-in link did not lead to the list")
    count = browser.evaluate("document.querySelectorAll('.item').length")
    check(count >= 4, f"the list shows {count} items")
    browser.screenshot(shots, "list")

    # Search as you type: the results arrive without leaving the page.
    browser.navigate(base + "/search")
    browser.evaluate("window.stayed = true")
    browser.click("input[data-live-search]")
    browser.send("Input.insertText", {"text": "sanctions"})
    browser.wait_until("document.querySelectorAll('[data-search-results] .hit').length > 0",
                       "typing a query showed no results")
    check(browser.evaluate("window.stayed === true"), "the search reloaded the page")
    check(browser.evaluate("document.querySelector('.hit mark') !== null"), "no match is marked")
    browser.screenshot(shots, "search")

    # Open an article from the results.
    browser.events = [e for e in browser.events if e.get("method") != "Page.loadEventFired"]
    browser.click(".hit a.title")
    browser.wait_for_load()
    item = browser.evaluate("document.getElementById('article').dataset.item")
    check(item, "the result did not open the reader")
    title = browser.evaluate("document.querySelector('article h1').textContent")

    # Select text with the mouse: the highlight form comes up with the passage in it.
    box = browser.evaluate(
        "(function(){var p=document.querySelector('[data-article-body] p');p.scrollIntoView({block:'center'});"
        "var w=document.createTreeWalker(p,NodeFilter.SHOW_TEXT);var t=w.nextNode();"
        "var r=document.createRange();r.setStart(t,0);r.setEnd(t,Math.min(60,t.length));"
        "var b=r.getClientRects()[0];return [b.left+1,b.top+b.height/2,b.right-1];})()")
    browser.mouse("mousePressed", box[0], box[1])
    browser.mouse("mouseMoved", (box[0] + box[2]) / 2, box[1])
    browser.mouse("mouseMoved", box[2], box[1])
    browser.mouse("mouseReleased", box[2], box[1])
    browser.wait_until("document.querySelector('[data-highlight-form]').classList.contains('floating')",
                       "selecting text did not bring up the highlight form")
    quote = browser.evaluate("document.querySelector('[data-highlight-form] textarea').value")
    check(quote and len(quote) > 10, f"the form holds no passage: {quote!r}")
    browser.send("Input.insertText", {"text": "worth checking"})
    browser.screenshot(shots, "highlight")
    browser.events = [e for e in browser.events if e.get("method") != "Page.loadEventFired"]
    browser.click("[data-highlight-form] button[type=submit]")
    browser.wait_for_load()
    check(browser.evaluate("document.querySelector('[data-article-body] mark') !== null"),
          "the highlight is not marked in the article: "
          + str(browser.evaluate("document.title + ' ' + document.querySelector('main').innerText.slice(0, 300)")))

    # Scroll: the position is saved as the reader goes.
    browser.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
    time.sleep(2.6)
    browser.evaluate("window.scrollBy(0, 40)")
    time.sleep(2.6)
    browser.evaluate("window.scrollTo(0, 0)")
    browser.screenshot(shots, "reader")

    # Mark it read.
    browser.events = [e for e in browser.events if e.get("method") != "Page.loadEventFired"]
    browser.click("form[action$='/state'] button")
    browser.wait_for_load()
    check("Mark unread" in browser.evaluate("document.querySelector('.toolbar').textContent"),
          "marking read did not stick")

    # The bookmarklet, clicked on another site's page, saves it in a new tab.
    browser.navigate(base + "/save")
    browser.screenshot(shots, "save")
    code = browser.evaluate("document.querySelectorAll('a.bookmarklet')[1].getAttribute('href')")
    check(code.startswith("javascript:"), "no bookmarklet on the Save page")
    page_url = f"http://127.0.0.1:{page_server.server_address[1]}/story.html"
    browser.navigate(page_url)
    opener = browser.session
    browser.send("Target.setDiscoverTargets", {"discover": True}, session=False)
    browser.evaluate(code[len("javascript:"):], gesture=True)
    created = browser.wait_event(
        lambda e: e.get("method") in ("Target.targetCreated", "Target.targetInfoChanged")
        and "/save/bookmarklet" in e["params"]["targetInfo"].get("url", "") or
        (e.get("method") == "Target.targetCreated" and e["params"]["targetInfo"]["type"] == "page"
         and e["params"]["targetInfo"].get("openerId")))
    browser.attach(created["params"]["targetInfo"]["targetId"])
    browser.wait_until("document.readyState === 'complete' && location.pathname === '/save/bookmarklet'",
                       "the bookmarklet's tab did not load", timeout=20)
    check("Save this page?" in browser.evaluate("document.body.innerText"), "the bookmarklet saved unasked")
    browser.screenshot(shots, "confirm")
    browser.events = [e for e in browser.events if e.get("method") != "Page.loadEventFired"]
    browser.click(".save-form button[type=submit]")
    browser.wait_for_load()
    result = browser.evaluate("document.body.innerText")
    check("Harbour pilots join the strike" in result and "Saved" in result, f"the save said: {result[:200]}")
    browser.screenshot(shots, "saved")
    browser.session = opener

    # An event's framing report.
    browser.navigate(base + "/events")
    browser.screenshot(shots, "events")
    browser.events = [e for e in browser.events if e.get("method") != "Page.loadEventFired"]
    browser.click("a.button[href^='/events/']")
    browser.wait_for_load()
    check(browser.evaluate("document.querySelector('h1').textContent") == "Framing report",
          "the event's report did not open")
    browser.screenshot(shots, "report")
    browser.navigate(base + "/sync")
    browser.screenshot(shots, "sync")

    problems = browser.problems()
    check(not problems, "the pages reported: " + "; ".join(problems))
    return item, title, quote, page_url


def check_library(library, item, quote, page_url):
    database = sqlite3.connect(f"file:{library}?mode=ro", uri=True)
    row = database.execute("SELECT reading_state, progress, seq FROM item WHERE id LIKE ?", (item + "%",)).fetchone()
    check(row is not None, "the item read is not in the library")
    check(row[0] == "read" and row[1] == 1, f"the item is {row[0]} at {row[1]}, not read")
    quotes = [r[0] for r in database.execute("SELECT quote FROM highlight WHERE item = ? AND deleted = 0", (row[2],))]
    check(any(" ".join(quote.split()) in " ".join(q.split()) for q in quotes), f"no highlight {quote!r} in {quotes}")
    saved = database.execute("SELECT title FROM item WHERE url = ?", (page_url,)).fetchone()
    check(saved and saved[0] == "Harbour pilots join the strike", f"the bookmarklet's page was not saved: {saved}")
    # Each edit is a change in the log, the scroll position among them, so it syncs.
    changes = set(database.execute("SELECT entity, field FROM change WHERE item = ?", (row[2],)))
    check({("item", "progress"), ("item", "reading_state")} <= changes and any(c[0] == "highlight" for c in changes),
          f"the change log holds only {sorted(changes)}")


def main():
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--parallax", required=True, help="the parallax binary")
    arguments.add_argument("--screenshots", help="a folder for a screenshot of each page")
    options = arguments.parse_args()
    chromium = next((path for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
                     if os.access(path, os.X_OK)), None)
    if not chromium:
        print("skipped: Chromium is not installed (scripts/install-dependencies installs it)")
        return 77
    if options.screenshots:
        os.makedirs(options.screenshots, exist_ok=True)
    work = tempfile.mkdtemp(prefix="parallax-journeys-")
    server = browser = None
    page_server = article_server()
    try:
        demo = subprocess.run([options.parallax, "demo", "--keep"], capture_output=True, text=True, timeout=300)
        match = re.search(r"kept at (\S+library\.sqlite)", demo.stdout)
        check(match, "parallax demo --keep did not say where its library is")
        library = os.path.join(work, "library.sqlite")
        shutil.copy(match.group(1), library)
        shutil.rmtree(os.path.dirname(match.group(1)), ignore_errors=True)
        server, login, base = start_server(options.parallax, library)
        browser = DevTools(chromium, os.path.join(work, "profile"))
        target = browser.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        browser.attach(target)
        item, title, quote, page_url = journeys(browser, options.parallax, login, base, page_server, options.screenshots)
        check_library(library, item, quote, page_url)
        print(f"passed: signed in, searched, read and highlighted '{title}', marked it read, "
              "saved a page with the bookmarklet, opened a framing report")
        return 0
    except Failure as failure:
        print("failed: " + str(failure))
        return 1
    finally:
        if browser:
            browser.close()
        if server:
            server.terminate()
            server.wait(timeout=10)
        page_server.shutdown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
