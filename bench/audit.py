"""`make audit`: Lighthouse on the home page and an article, mobile, against a production setup.

A scratch site under var/audit/ (production settings, the demo content, image renditions made
by one batch run of the task worker, static files collected) is served by gunicorn behind
deploy/nginx.conf on loopback, as in production (nginx serves static and media files). Then
Lighthouse 12.2.3 (installed into var/lighthouse/ with npm when missing; 13 needs Node 22)
drives Debian's Chromium and the four scores are printed, with every audit that failed.
Targets: 95 or more in each category. Writes var/audit/results.json.
"""

# The commands run here are this project's own tools (gunicorn, nginx, wrk, npm, apt-get),
# with arguments built here: nothing comes from untrusted input.
# ruff: noqa: S603, S607

import json
import os
import shutil
import subprocess
import sys

from bench.nginx import Nginx, nginx_binary
from bench.servers import BASE_DIR, PYTHON, Gunicorn, free_port, manage, production_env
from bench.tools import ensure_tools, say

AUDIT_DIR = BASE_DIR / "var" / "audit"
LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_DIR = BASE_DIR / "var" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGET = 95

ARTICLE_URL = """
import django
django.setup()
from articles.models import Article
article = Article.objects.published().filter(featured_image__isnull=False).order_by("-published_at").first()
print(article.get_absolute_url())
"""


def ensure_lighthouse():
    installed = None
    if LIGHTHOUSE.exists():
        result = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=False)
        installed = result.stdout.strip()
    if installed != LIGHTHOUSE_VERSION:
        say(f"Installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR.relative_to(BASE_DIR)}/ ...")
        LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(LIGHTHOUSE_DIR),
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            check=True,
        )


def chrome_path():
    path = os.environ.get("CHROME_PATH") or "/usr/bin/chromium"
    if not os.path.exists(path) and os.geteuid() == 0 and shutil.which("apt-get"):
        say("Installing Debian's chromium...")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=env, check=False)
    if not os.path.exists(path):
        sys.exit(f"make audit needs Chromium at {path} (apt-get install chromium, or set CHROME_PATH).")
    return path


def build_site(env):
    say("Building a demo site under var/audit/ ...")
    if AUDIT_DIR.exists():
        shutil.rmtree(AUDIT_DIR)
    AUDIT_DIR.mkdir(parents=True)
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo")
    # Image renditions (srcset, WebP) are made by the task worker; one batch run makes them all.
    manage(env, "db_worker", "--batch", "--no-startup-delay")
    result = subprocess.run(
        [PYTHON, "-c", ARTICLE_URL], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def lighthouse(url, name, chrome):
    report = AUDIT_DIR / f"{name}.report.json"
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            "--form-factor=mobile",
            f"--chrome-flags={CHROME_FLAGS}",
            "--max-wait-for-load=45000",
        ],
        env={**os.environ, "CHROME_PATH": chrome},
        check=True,
        timeout=300,
    )
    data = json.loads(report.read_text())
    scores = {key: round(100 * (data["categories"][key]["score"] or 0)) for key in CATEGORIES}
    failing = {}
    for key in CATEGORIES:
        for ref in data["categories"][key]["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if (
                audit["scoreDisplayMode"] in ("binary", "numeric", "metricSavings")
                and (audit["score"] or 0) < 0.9
            ):
                failing.setdefault(key, []).append(
                    {
                        "id": audit["id"],
                        "title": audit["title"],
                        "score": audit["score"],
                        "value": audit.get("displayValue", ""),
                        "weight": ref.get("weight", 0),
                    }
                )
    # The page-weight budget: HTML, CSS and JavaScript as transferred, images excluded.
    requests = data["audits"]["network-requests"]["details"]["items"]
    weight = sum(item.get("transferSize", 0) for item in requests if item.get("resourceType") != "Image")
    return {
        "url": url,
        "scores": scores,
        "failing": failing,
        "transferred_without_images": weight,
        "report": str(report.relative_to(BASE_DIR)),
    }


def main():
    ensure_tools()
    ensure_lighthouse()
    chrome = chrome_path()
    if not nginx_binary():
        sys.exit("make audit needs nginx (apt-get install nginx-light): it serves static and media files.")
    port = free_port()
    env = production_env(
        AUDIT_DIR,
        SITE_URL=f"http://127.0.0.1:{port}",
        GUNICORN_MAX_REQUESTS="0",
        CACHE_KEY_PREFIX="canary-audit",
    )
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    article = build_site(env)
    results = {}
    with Gunicorn(env, log=AUDIT_DIR / "gunicorn.log") as server:
        options = {
            "port": port,
            "upstreams": [f"127.0.0.1:{server.port}"],
            "static_root": AUDIT_DIR / "static",
            "media_root": AUDIT_DIR / "media",
        }
        with Nginx(AUDIT_DIR / "nginx", **options):
            for name, path in (("home", "/"), ("article", article)):
                say(f"Lighthouse (mobile) on {path} ...")
                results[name] = lighthouse(f"http://127.0.0.1:{port}{path}", name, chrome)
    (AUDIT_DIR / "results.json").write_text(json.dumps(results, indent=2))
    report(results)


def report(results):
    say("")
    say(f"{'page':<9} " + " ".join(f"{key:>15}" for key in CATEGORIES))
    for name, result in results.items():
        cells = [
            f"{result['scores'][key]:>10} {'PASS' if result['scores'][key] >= TARGET else 'FAIL'}"
            for key in CATEGORIES
        ]
        say(f"{name:<9} " + " ".join(f"{cell:>15}" for cell in cells))
    for name, result in results.items():
        kilobytes = result["transferred_without_images"] / 1024
        say(
            f"{name}: {kilobytes:.1f} KB transferred without images ({'PASS' if kilobytes <= 100 else 'FAIL'}, at most 100)"
        )
    for name, result in results.items():
        for key, audits in result["failing"].items():
            say(f"\n{name}, {key}: audits below 90")
            for audit in audits:
                value = f" ({audit['value']})" if audit["value"] else ""
                # Weight 0: shown by Lighthouse as advice, not counted in the score.
                weight = "" if audit["weight"] else " [advice, not scored]"
                say(f"  - {audit['id']}: {audit['title']}{value}{weight}")
    say(f"\nTarget: {TARGET}+ in every category. Reports: var/audit/*.report.json")


if __name__ == "__main__":
    main()
