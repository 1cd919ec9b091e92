"""The load test: ``make loadtest`` (add ``ARGS=--restart-db`` for the outage run).

Readers and an editor at once. wrk holds 50 connections for 60 seconds on a
mix of public pages (front page, articles, sections, tags, search, the
honour roll, feeds) while an editor keeps saving articles through the admin,
as a browser would: open the change form, change the text, post it. Every
page-cache entry is invalidated by each of those saves, so the readers keep
reaching the database.

It passes when:

- no reader gets a 5xx, a 4xx or a failed connection (with
  ``--restart-db``: every 5xx is the portal's Vietnamese 503 page, the
  portal answers again within 10 seconds of the database coming back, and
  the editor saves again after that);
- a further 5-second pass after the run gets no error at all (every worker
  serves again, not just the first to reconnect);
- no save is lost: every save the admin confirmed is in the article's
  revision history, and the article holds the last one.

``--restart-db`` runs the portal on a PostgreSQL server of its own and stops
it for a few seconds in the middle of the load. Results (with p50/p90/p99)
are printed and written to ``bench/results/loadtest*.json``.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from bench import servers
from bench.run import run_wrk

RESULTS = Path(__file__).resolve().parent / "results"
WRK_SCRIPT = Path(__file__).resolve().parent / "loadtest.lua"
EDITOR, PASSWORD = "bientap-tai", "mat-khau-tai-thu-9271"
MARK = re.compile(r"ltsave-\d+")

SETUP = """
import json
from django.contrib.auth.models import Group, User
from news.models import Article, Category, Tag
from portal.cache import bump_content_version
from portal.roles import EDITOR
bump_content_version()  # generated rows were bulk-inserted
user = User.objects.create_user(%(user)r, password=%(password)r, is_staff=True)
user.groups.add(Group.objects.get(name=EDITOR))
published = Article.objects.published().order_by("-published_at")
articles = [a.get_absolute_url() for a in published[:40]]
edited = list(published.values_list("pk", flat=True)[40:43])
sections = [c.get_absolute_url() for c in Category.objects.all()[:4]]
tags = [t.get_absolute_url() for t in Tag.objects.all()[:3]]
searches = ["/tim-kiem/?q=" + q for q in ("hong bang", "Hồng Bàng", "khen thưởng", "an")]
# Page 3 of the sections that have one (20 articles a page).
later = [c.get_absolute_url() + "?page=3" for c in Category.objects.all()
         if published.in_section(c).count() > 40][:2]
paths = ["/", "/", "/khen-thuong/", "/rss/"] + articles + sections + later + tags + searches
print(json.dumps({"paths": paths, "edited": edited}))
"""

HISTORY = """
import json, re
from reversion.models import Version
from news.models import Article
found, current = {}, {}
for pk in %(ids)r:
    article = Article.objects.get(pk=pk)
    current[pk] = re.findall(r"ltsave-\\d+", article.body)
    found[pk] = sorted({m for v in Version.objects.get_for_object(article)
                        for m in re.findall(r"ltsave-\\d+", v.serialized_data)})
print(json.dumps({"found": found, "current": current}))
"""


# --- The editor ------------------------------------------------------------------


class FormFields(HTMLParser):
    """What a browser would post for the form ``form_id``: every named field's value."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        kind = (attrs.get("type") or "text").lower()
        if tag == "input" and name and kind not in {"submit", "button", "file", "image"}:
            if kind not in {"checkbox", "radio"}:
                self.fields.append((name, attrs.get("value") or ""))
            elif "checked" in attrs:
                self.fields.append((name, attrs.get("value") or "on"))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            name, text = self._textarea
            # A browser drops the newline that opens a textarea's text.
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


class Editor(threading.Thread):
    """Signs in and saves the given articles in turn until stopped."""

    def __init__(self, base_url: str, article_ids: list[int]):
        super().__init__(daemon=True)
        self.base_url, self.article_ids = base_url, article_ids
        self.stop = threading.Event()
        self.confirmed: dict[int, list[str]] = {pk: [] for pk in article_ids}
        self.saved_at: list[float] = []  # time.monotonic() of each confirmed save
        self.refused: list[str] = []  # answers other than "saved", with their status
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            _NoRedirect(),
        )

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 - the portal on loopback
            self.base_url + path, data=body, headers={"Referer": self.base_url + path}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def sign_in(self):
        status, html = self.request("/quan-tri/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        status, _ = self.request(
            "/quan-tri/login/",
            {"csrfmiddlewaretoken": token, "username": EDITOR, "password": PASSWORD},
        )
        if status != 302:
            raise RuntimeError(f"the editor could not sign in ({status})")

    def save(self, pk: int, number: int) -> None:
        path = f"/quan-tri/news/article/{pk}/change/"
        status, html = self.request(path)
        if status != 200:
            self.refused.append(f"open {status}")
            time.sleep(0.2)
            return
        parser = FormFields("article_form")
        parser.feed(html)
        fields = [(k, v) for k, v in parser.fields if k != "body"]
        body = dict(parser.fields).get("body", "")
        mark = f"ltsave-{number}"
        body = MARK.sub(mark, body) if MARK.search(body) else f"<p>{mark}</p>{body}"
        status, html = self.request(path, [*fields, ("body", body), ("_save", "Lưu")])
        if status == 302:
            self.confirmed[pk].append(mark)
            self.saved_at.append(time.monotonic())
        else:
            errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
            self.refused.append(f"save {status} {errors[:1]}")

    def run(self):
        number = 0
        signed_in = False
        while not self.stop.is_set():
            number += 1
            try:
                if not signed_in:
                    self.sign_in()
                    signed_in = True
                self.save(self.article_ids[number % len(self.article_ids)], number)
                continue
            except Exception as exc:  # a dropped connection, an outage page: noted, go on
                self.refused.append(f"error {exc!r}"[:200])
            time.sleep(0.2)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# --- The outage ----------------------------------------------------------------------


class Outage(threading.Thread):
    """Stops the database at ``at`` seconds for ``hold`` seconds, then times recovery."""

    def __init__(self, pgdata: Path, base_url: str, *, at: float, hold: float):
        super().__init__(daemon=True)
        self.pgdata, self.base_url, self.at, self.hold = pgdata, base_url, at, hold
        self.recovered_after: float | None = None
        self.recovered_at: float | None = None  # time.monotonic()
        self.error: str | None = None

    def run(self):
        from portal.database import stop_embedded

        try:
            time.sleep(self.at)
            stop_embedded(self.pgdata)
            time.sleep(self.hold)
            servers.start_private_postgres(self.pgdata)
            back = time.monotonic()
            number = 0
            while time.monotonic() - back < 30:
                number += 1
                # A search no page cache can answer: it needs the database.
                url = f"{self.base_url}/tim-kiem/?q=phuc-hoi-{number}"
                try:
                    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
                        if response.status == 200:
                            self.recovered_at = time.monotonic()
                            self.recovered_after = round(self.recovered_at - back, 2)
                            return
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                time.sleep(0.2)
        except Exception as exc:  # reported with the results, not lost in a thread
            self.error = repr(exc)


# --- The run ---------------------------------------------------------------------------


def wrk(url, paths, *, duration, connections) -> dict:
    figures, output = run_wrk(WRK_SCRIPT, url, paths, duration=duration, connections=connections)
    odd = [line for line in output.splitlines() if line.startswith("odd 5xx: ")]
    figures["first_odd_5xx"] = odd[0].removeprefix("odd 5xx: ") if odd else ""
    latency = figures.pop("latency_us")
    figures["rps"] = round(figures["requests"] / (figures.pop("duration_us") / 1e6), 1)
    for name, value in latency.items():
        figures[f"{name}_ms"] = round(value / 1000, 1)
    return figures


def run(args) -> dict:
    root = Path(tempfile.mkdtemp(prefix="congtintuc-loadtest-"))
    pgdata = root / "pgdata"
    if args.restart_db:
        db_url = servers.database_url("portal", servers.start_private_postgres(pgdata))
    else:
        db_url = servers.database_url("congtintuc_loadtest")
    servers.create_database(db_url, fresh=not args.restart_db)
    port = servers.free_port()
    env = servers.production_env(
        db_url,
        root,
        site_url=f"http://127.0.0.1:{port}",
        STATIC_ROOT=str(servers.BASE_DIR / "var" / "bench" / "static"),
    )
    try:
        print("Preparing the site ...", flush=True)
        servers.manage(env, "migrate", "--noinput")
        servers.manage(env, "collectstatic", "--noinput")
        servers.manage(env, "sync_roles")
        servers.manage(env, "load_demo")
        servers.manage(env, "generate_articles", str(args.articles))
        setup = SETUP % {"user": EDITOR, "password": PASSWORD}
        site = json.loads(servers.manage(env, "shell", "-c", setup).strip().splitlines()[-1])

        log = root / "gunicorn.log"
        with servers.Gunicorn(env, port, workers=args.workers, log=log) as server:
            editor = Editor(server.url, site["edited"])
            editor.start()
            outage = None
            if args.restart_db:
                outage = Outage(pgdata, server.url, at=args.duration / 3, hold=args.outage)
                outage.start()
            print(
                f"wrk: {args.connections} connections for {args.duration} s on "
                f"{len(site['paths'])} pages, an editor saving "
                f"{len(site['edited'])} articles" + (", database restarted" if outage else ""),
                flush=True,
            )
            readers = wrk(
                server.url, site["paths"], duration=args.duration, connections=args.connections
            )
            if outage:
                outage.join(timeout=60)
            # Then a short second pass, the editor still saving: every worker must
            # serve again (one answer after a restart proves only one worker).
            after = wrk(server.url, site["paths"], duration=5, connections=args.connections)
            editor.stop.set()
            editor.join(timeout=60)
            worker_rss = [round(size, 1) for size in server.worker_rss_mb()]
        history = json.loads(
            servers.manage(env, "shell", "-c", HISTORY % {"ids": site["edited"]})
            .strip()
            .splitlines()[-1]
        )
    finally:
        if args.restart_db:
            from portal.database import stop_embedded

            stop_embedded(pgdata)
        else:
            servers.create_database(db_url, fresh=True)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    confirmed = sum(len(marks) for marks in editor.confirmed.values())
    lost = sorted(
        mark
        for pk, marks in editor.confirmed.items()
        for mark in marks
        if mark not in history["found"][str(pk)]
    )
    stale = [
        pk
        for pk, marks in editor.confirmed.items()
        if marks and history["current"][str(pk)] != [marks[-1]]
    ]
    recovered_at = (outage.recovered_at if outage else None) or float("inf")
    result = {
        "date": datetime.now(UTC).date().isoformat(),
        "cpus": os.cpu_count(),
        "workers": args.workers,
        "connections": args.connections,
        "duration_s": args.duration,
        "articles": args.articles,
        "database_restarted": bool(args.restart_db),
        "readers": readers,
        "readers_after": after,
        "editor": {
            "saves_confirmed": confirmed,
            "saves_refused": len(editor.refused),
            "refusals": editor.refused[:20],
            "saves_lost": lost,
            "saves_after_recovery": sum(1 for at in editor.saved_at if at > recovered_at),
            "articles_not_holding_their_last_save": stale,
        },
        "worker_rss_mb": worker_rss,
    }
    if outage:
        result["outage"] = {
            "held_s": args.outage,
            "recovered_after_s": outage.recovered_after,
            "error": outage.error,
        }
    result["problems"] = problems(result)
    return result


def problems(result) -> list[str]:
    found = []
    readers, after, editor = result["readers"], result["readers_after"], result["editor"]
    crashes = readers["server_errors"] - readers["outage_pages"]
    if readers["requests"] < 100:
        found.append(f"only {readers['requests']} requests: the load never came")
    if not result["database_restarted"] and readers["server_errors"]:
        found.append(f"{readers['server_errors']} readers got a 5xx")
    if crashes:
        found.append(
            f"{crashes} 5xx answers were not the Vietnamese 503 page "
            f"(the first: {readers['first_odd_5xx'][:200]!r})"
        )
    for name, run in (("", readers), ("after the run: ", after)):
        if any(run["socket_errors"].values()):
            found.append(f"{name}connections failed: {run['socket_errors']}")
        if run["client_errors"]:
            found.append(f"{name}{run['client_errors']} readers got a 4xx")
    if after["server_errors"]:
        found.append(f"{after['server_errors']} 5xx in the pass after the run")
    if editor["saves_confirmed"] == 0:
        found.append("the editor saved nothing")
    if editor["saves_lost"]:
        found.append(f"saves missing from the history: {editor['saves_lost'][:10]}")
    if editor["articles_not_holding_their_last_save"]:
        found.append(f"not holding the last save: {editor['articles_not_holding_their_last_save']}")
    if not result["database_restarted"] and editor["saves_refused"]:
        found.append(f"saves refused without an outage: {editor['refusals'][:3]}")
    outage = result.get("outage")
    if outage and (outage["error"] or outage["recovered_after_s"] is None):
        found.append(f"no recovery within 30 s ({outage['error'] or 'still failing'})")
    elif outage and outage["recovered_after_s"] > 10:
        found.append(f"recovery took {outage['recovered_after_s']} s")
    if outage and not editor["saves_after_recovery"]:
        found.append("the editor saved nothing after the database came back")
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--restart-db", action="store_true", help="stop PostgreSQL mid-run")
    parser.add_argument("--outage", type=float, default=5, help="seconds the database is down")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs)")
    parser.add_argument("--output", type=Path, help="where to write the JSON results")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")

    result = run(args)
    readers, editor = result["readers"], result["editor"]
    print(
        f"readers: {readers['requests']} requests, {readers['rps']} req/s, "
        f"p50 {readers['p50_ms']} ms, p90 {readers['p90_ms']} ms, p99 {readers['p99_ms']} ms, "
        f"5xx {readers['server_errors']} (Vietnamese 503 pages: {readers['outage_pages']}), "
        f"4xx {readers['client_errors']}, socket errors {readers['socket_errors']}"
    )
    print(
        f"editor: {editor['saves_confirmed']} saves confirmed, {editor['saves_refused']} refused, "
        f"{len(editor['saves_lost'])} lost"
    )
    after = result["readers_after"]
    print(
        f"then 5 s more: {after['requests']} requests, 5xx {after['server_errors']}, "
        f"4xx {after['client_errors']}, socket errors {after['socket_errors']}"
    )
    if "outage" in result:
        print(
            f"outage: recovered {result['outage']['recovered_after_s']} s after the restart; "
            f"{editor['saves_after_recovery']} saves confirmed after that"
        )
    output = args.output or RESULTS / (
        "loadtest-restart.json" if args.restart_db else "loadtest.json"
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if result["problems"]:
        print("FAILED: " + "; ".join(result["problems"]))
        return 1
    print("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
