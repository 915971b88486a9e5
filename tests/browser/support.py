"""Helpers the browser tests share."""

from __future__ import annotations

REPORT_CSP = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""


def watch(context) -> list[str]:
    """Collect console errors and warnings, uncaught exceptions and CSP violations."""
    found: list[str] = []
    context.add_init_script(REPORT_CSP)
    context.on(
        "console",
        lambda m: (
            found.append(f"{m.type}: {m.text} ({m.location.get('url', '')})")
            if m.type in ("error", "warning")
            else None
        ),
    )
    context.on("weberror", lambda e: found.append(f"uncaught: {e.error}"))
    return found
