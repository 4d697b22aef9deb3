"""Put the page's front-end packages where Solara's asset proxy looks, from the npm registry.

Solara's server fetches its browser code (the Vuetify app, RequireJS, Font Awesome) from a
public CDN on first use and caches it under ``<prefix>/share/solara/cdn``. A machine that
reaches package registries but not that CDN (a classroom behind a proxy, CI) would serve
a blank page, so ``python -m govsim.dashboard.assets`` fills the cache with ``npm pack``,
as Solara's own ``solara-assets`` package does when it is built. The versions are read
from the installed Solara's page template and components, so they always match it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

__all__ = ["cache_dir", "missing", "needed", "fetch"]

_REF = re.compile(r"(?:\{\{\s*cdn\s*\}\}|getCdn\(\)\})/((?:@[\w.-]+/)?[\w.-]+)@([\w.-]+)/")
#: files of the installed Solara that name what the page loads: the page template, and
#: Markdown (the only component the dashboard uses that loads code lazily: mermaid, KaTeX)
_SOURCES = ("server/templates/solara.html.j2", "components/markdown.py")


def cache_dir() -> Path:
    """Solara's asset cache (what its CDN proxy serves from)."""
    from solara.server import settings
    return Path(settings.assets.proxy_cache_dir)


def needed() -> list[tuple[str, str]]:
    """(package, version) pairs the installed Solara's page loads from the CDN."""
    import solara
    from solara.server import settings
    root = Path(solara.__file__).parent
    found: dict[tuple[str, str], None] = {}
    for name in _SOURCES:
        found.update(dict.fromkeys(_REF.findall((root / name).read_text(encoding="utf-8"))))
    if settings.assets.fontawesome_enabled:
        m = re.match(r"/?((?:@[\w.-]+/)?[\w.-]+)@([\w.-]+)/", settings.assets.fontawesome_path)
        if m:
            found[(m.group(1), m.group(2))] = None
    return list(found)


def missing() -> list[tuple[str, str]]:
    """The needed packages not yet in the cache."""
    base = cache_dir()
    return [(p, v) for p, v in needed() if not (base / f"{p}@{v}" / "package.json").is_file()]


def fetch(packages: list[tuple[str, str]] | None = None) -> list[str]:
    """``npm pack`` each missing package into the cache; returns what was added."""
    base = cache_dir()
    added = []
    for package, version in packages if packages is not None else missing():
        target = base / f"{package}@{version}"
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(["npm", "pack", f"{package}@{version}", "--silent"],
                                 cwd=tmp, check=True, capture_output=True, text=True)
            tgz = Path(tmp) / out.stdout.strip().splitlines()[-1]
            with tarfile.open(tgz) as tar:
                tar.extractall(tmp, filter="data")
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                shutil.rmtree(target)
            shutil.move(str(Path(tmp) / "package"), target)
        added.append(f"{package}@{version}")
    return added


def main() -> int:
    try:
        todo = missing()
        if not todo:
            return 0
        if shutil.which("npm") is None:
            print("govsim: npm not found; the dashboard page will load its browser code "
                  "from the CDN instead (needs internet access)", file=sys.stderr)
            return 1
        for name in fetch(todo):
            print(f"dashboard assets: {name}")
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"govsim: could not fetch the dashboard's browser code: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
