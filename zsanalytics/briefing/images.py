"""Pictures of the briefing through headless Chromium: the charts as PNG (kaleido) and the
page as an A4 PDF (Chromium's own print, with the page's print stylesheet)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import plotly.graph_objects as go

from ..errors import ZsAnalyticsError

__all__ = ["find_browser", "print_pdf", "write_images"]

_INSTALL_BROWSER = (
    "写 PNG 图片需要 Chromium 浏览器和中文字体：Debian/Ubuntu 上运行 "
    "'sudo apt-get install chromium fonts-noto-cjk'；其他系统请安装 Chrome，"
    "或运行 'plotly_get_chrome' 下载一个"
)


def write_images(figures: list[go.Figure], paths: list[Path], *, width: int = 1000,
                 scale: float = 2) -> None:
    """Render figures to PNG in one kaleido session (one browser start, not one per image)."""
    try:
        import kaleido
    except ImportError as exc:
        raise ZsAnalyticsError(
            "写 PNG 图片需要 kaleido，请运行 python -m pip install 'zsanalytics[png]'") from exc
    import plotly

    plotlyjs = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    specs = [
        {"fig": fig.to_dict(), "path": Path(p),
         "opts": {"format": "png", "width": width, "height": fig.layout.height or 480,
                  "scale": scale}}
        for fig, p in zip(figures, paths, strict=True)
    ]
    try:
        # mathjax off and plotly.js from the installed package: nothing is fetched
        kaleido.write_fig_from_object_sync(
            specs, kopts={"plotlyjs": str(plotlyjs), "mathjax": False})
    except Exception as exc:  # kaleido and choreographer raise many kinds on a failed start
        missing = [str(p) for p in paths if not Path(p).is_file()]
        raise ZsAnalyticsError(
            f"有{len(missing)}个 PNG 文件没有写出（{type(exc).__name__}：{exc}）。"
            + _INSTALL_BROWSER) from exc



_PDF_INSTALL = (
    "写 PDF 需要 Chromium 浏览器和中文字体：Debian/Ubuntu 上运行 "
    "'sudo apt-get install chromium fonts-noto-cjk'；其他系统请安装 Chrome，"
    "或运行 'plotly_get_chrome' 下载一个")

#: Browser commands looked for on PATH, in order.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

#: Chromium is given this long to load the page, draw the charts and print (seconds).
PRINT_TIMEOUT = 180

# The page is laid out 975 px wide before it is printed: plotly.js draws each chart for the
# width of its card then (975 − 2×24 − 2×16 = 895 px), and the print stylesheet shows charts
# at 75 % (zoom: 0.75), 671 px: the width of a card on A4 (210 − 2×12 mm ≈ 703 px, less its
# padding), so no chart is cut at the right and two charts share a page.
_PRINT_WINDOW = "--window-size=975,1300"


def find_browser() -> str | None:
    """A Chromium-based browser: ``chromium``, ``chromium-browser`` or ``google-chrome`` on
    PATH, else the one kaleido's choreographer finds (the usual install places on Windows and
    macOS, or one fetched with ``plotly_get_chrome``); None when there is none."""
    for name in BROWSERS:
        if path := shutil.which(name):
            return path
    return _choreographer_browser()


def _choreographer_browser() -> str | None:
    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError:  # kaleido (and with it choreographer) is optional
        return None
    try:
        return Chromium.find_browser(skip_local=False)
    except Exception:  # a half-installed download, an unreadable registry: none found
        return None


def print_pdf(page: str, path: Path, *, timeout: float = PRINT_TIMEOUT) -> Path:
    """Print an HTML page to an A4 PDF through headless Chromium.

    The footer of each printed page (the stylesheet's ``@page`` margin box) names the title the
    page sets as the custom property ``--zsa-title`` (:func:`.html.title_property`: Chromium
    has no ``string-set``). Chromium loads the page from a temporary folder,
    with every network request refused, runs its scripts (the charts) in virtual time, and
    prints only after they have drawn.

    Raises
    ------
    ZsAnalyticsError
        No Chromium found (with the command that installs it), or Chromium failed or ran out
        of time.
    """
    browser = find_browser()
    if browser is None:
        raise ZsAnalyticsError(f"找不到 Chromium，无法写 PDF。{_PDF_INSTALL}")
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="zsa-pdf-") as tmp:
        source, out = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
        source.write_text(page, encoding="utf-8")
        command = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", "--no-default-browser-check", f"--user-data-dir={Path(tmp) / 'profile'}",
            # nothing is fetched: the page is self-contained, and a government network is closed
            "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
            _PRINT_WINDOW, "--virtual-time-budget=15000", "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={out}", "--no-pdf-header-footer", source.as_uri(),
        ]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                    check=False, env={**os.environ, "LANG": "C.UTF-8"})
        except subprocess.TimeoutExpired as exc:
            raise ZsAnalyticsError(
                f"Chromium 在{timeout:.0f}秒内没有打印完页面，PDF 未写出（{browser}）") from exc
        except OSError as exc:
            raise ZsAnalyticsError(f"无法启动 Chromium（{browser}：{exc}）。{_PDF_INSTALL}") from exc
        if not out.is_file() or not out.read_bytes().startswith(b"%PDF"):
            detail = (result.stderr or "").strip().splitlines()[-3:]
            raise ZsAnalyticsError(
                f"Chromium 没有写出 PDF（退出码 {result.returncode}）：" + "；".join(detail))
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(out), path)
    return path
