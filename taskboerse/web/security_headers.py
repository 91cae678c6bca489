"""Security headers on every answer: CSP, nosniff, referrer policy, HSTS, no caching."""

from __future__ import annotations

from flask import Flask, request

# Scripts and styles only from our own origin (no inline script, no CDN), no framing.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


CACHEABLE_ENDPOINTS = frozenset({"static", "favicon", "main.company_logo"})


def register(app: Flask) -> None:
    """CSP, nosniff, referrer policy, HSTS outside development; no caching of any page."""
    from flask_talisman import Talisman

    development = app.config["ENV_NAME"] in ("development", "testing")
    Talisman(
        app,
        force_https=False,  # TLS ends at the municipality's proxy; HSTS tells browsers
        strict_transport_security=not development,
        strict_transport_security_max_age=31_536_000,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )

    @app.after_request
    def no_store(response):
        # Pages show personal data (names, applications, notes) once logged in; a shared
        # computer's back button or a proxy must not keep them. Static files, the favicon and
        # the public company logos (which set their own caching) may be cached.
        if request.endpoint not in CACHEABLE_ENDPOINTS:
            response.headers["Cache-Control"] = "no-store"
        return response
