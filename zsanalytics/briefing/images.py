"""Pictures of the briefing through headless Chromium: the charts as PNG (kaleido)."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go

from ..errors import ZsAnalyticsError

__all__ = ["write_images"]

_INSTALL_BROWSER = (
    "PNG export needs Chromium and CJK fonts: on Debian/Ubuntu run "
    "'sudo apt-get install chromium fonts-noto-cjk'; elsewhere install Chrome, or run "
    "'plotly_get_chrome' to download one"
)


def write_images(figures: list[go.Figure], paths: list[Path], *, width: int = 1000,
                 scale: float = 2) -> None:
    """Render figures to PNG in one kaleido session (one browser start, not one per image)."""
    try:
        import kaleido
    except ImportError as exc:
        raise ZsAnalyticsError(
            "PNG export needs kaleido: python -m pip install 'zsanalytics[png]'") from exc
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
            f"could not write {len(missing)} PNG file(s) ({type(exc).__name__}: {exc}). "
            + _INSTALL_BROWSER) from exc

