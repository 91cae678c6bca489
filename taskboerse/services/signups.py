"""Where accounts were signed up from, to warn an admin about one person on both sides.

A graduate whose references come from their own company gets a CV of self-issued praise.
Email is unique per account, so the same person needs two addresses; what often stays the
same is the network and the browser. ``record_signup`` stores, per account, two short keyed
hashes (HMAC-SHA256 with the app's SECRET_KEY, 16 hex digits each): one of the client
address (IPv6 cut to its /64, which one household or phone keeps) and one of a random
marker the browser carries in its session. Neither can be turned back into an address or
linked across installations with another key. ``shared_signups`` pairs graduates with
entrepreneurs that share either, or a mailbox ("anna@x.dk" and "anna+firma@x.dk").

A shared address is only a hint: a library, a workplace or the job centre's own network
gives many people one address. The admin looks closer; nothing is refused automatically.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from taskboerse.extensions import db
from taskboerse.models import Application, Company, Role, Task, User
from taskboerse.services.errors import Forbidden

# The key in the browser's (signed) session that carries the marker. It must survive the
# session being emptied at login and logout, as the chosen language does.
SESSION_KEY = "signup_marker"
_HASH_HEX = 16


def new_session_marker() -> str:
    """A random marker for a browser that has none yet."""
    return secrets.token_urlsafe(16)


def _keyed_hash(kind: str, value: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return digest[:_HASH_HEX]


def _network(address: str) -> str | None:
    """The address as compared: IPv4 as is, IPv6 by its /64; None when there is none."""
    address = (address or "").strip()
    if not address or address == "-":
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address.lower()
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def signup_source(address: str, session_marker: str | None) -> str:
    """``<address hash>.<marker hash>``; either part is empty when unknown."""
    network = _network(address)
    marker = (session_marker or "").strip()
    return ".".join(
        (
            _keyed_hash("address", network) if network else "",
            _keyed_hash("session", marker) if marker else "",
        )
    )


def record_signup(user: User, address: str, session_marker: str | None) -> None:
    """Remember where ``user`` signed up from (keyed hashes only); commits."""
    user.signup_source = signup_source(address, session_marker)
    db.session.commit()


@dataclass(frozen=True)
class SignupPair:
    """A graduate and an entrepreneur account that may belong to one person."""

    graduate_id: int
    graduate_name: str
    graduate_email: str
    graduate_created_at: datetime
    entrepreneur_id: int
    entrepreneur_name: str
    entrepreneur_email: str
    entrepreneur_created_at: datetime
    same_address: bool
    same_session: bool
    same_mailbox: bool
    # The graduate applied to one of the entrepreneur's tasks: the case that matters.
    applied_to_their_task: bool
    # The entrepreneur's company (None before they registered one): the admin's next step is
    # to look at it on the verification page, since only a verified company's reference
    # counts as confirmed.
    company_id: int | None = None
    company_name: str | None = None
    company_verified: bool = False


def _mailbox(email: str) -> str:
    local, _, domain = email.lower().partition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def _candidate_pairs() -> dict[tuple[int, int], set[str]]:
    """(graduate id, entrepreneur id) → what they share, from four narrow columns of the
    self-service accounts (no objects are loaded for accounts that share nothing)."""
    rows = db.session.execute(
        select(User.id, User.role, User.email, User.signup_source).where(
            User.role.in_((Role.JOBSEEKER, Role.ENTREPRENEUR)), User.anonymised_at.is_(None)
        )
    ).all()
    groups: dict[tuple[str, str], dict[Role, list[int]]] = defaultdict(lambda: defaultdict(list))
    for user_id, role, email, source in rows:
        keys = [("mailbox", _mailbox(email))]
        address, _, marker = (source or "").partition(".")
        if address:
            keys.append(("address", address))
        if marker:
            keys.append(("session", marker))
        for key in keys:
            groups[key][role].append(user_id)
    found: dict[tuple[int, int], set[str]] = {}
    for (kind, _value), by_role in groups.items():
        for graduate_id in by_role.get(Role.JOBSEEKER, []):
            for entrepreneur_id in by_role.get(Role.ENTREPRENEUR, []):
                found.setdefault((graduate_id, entrepreneur_id), set()).add(kind)
    return found


def shared_signups(actor: User) -> list[SignupPair]:
    """Graduate and entrepreneur accounts that share a sign-up address, browser or mailbox,
    those who worked together and those from one browser first. Admins only."""
    if actor.role != Role.ADMIN:
        raise Forbidden(_l("Only administrators can see this."))
    found = _candidate_pairs()
    if not found:
        return []

    graduate_ids = {g for g, _e in found}
    entrepreneur_ids = {e for _g, e in found}
    users = {
        u.id: u
        for u in db.session.execute(
            select(User).where(User.id.in_(graduate_ids | entrepreneur_ids))
        ).scalars()
    }
    companies = {
        c.owner_id: c
        for c in db.session.execute(
            select(Company).where(Company.owner_id.in_(entrepreneur_ids))
        ).scalars()
    }
    worked = set(
        db.session.execute(
            select(Application.jobseeker_id, Company.owner_id)
            .join(Task, Task.id == Application.task_id)
            .join(Company, Company.id == Task.company_id)
            .where(
                Application.jobseeker_id.in_(graduate_ids),
                Company.owner_id.in_(entrepreneur_ids),
            )
            .distinct()
        ).all()
    )
    pairs = []
    for (graduate_id, entrepreneur_id), kinds in found.items():
        graduate, entrepreneur = users[graduate_id], users[entrepreneur_id]
        company = companies.get(entrepreneur_id)
        pairs.append(
            SignupPair(
                graduate_id=graduate.id,
                graduate_name=graduate.name,
                graduate_email=graduate.email,
                graduate_created_at=graduate.created_at,
                entrepreneur_id=entrepreneur.id,
                entrepreneur_name=entrepreneur.name,
                entrepreneur_email=entrepreneur.email,
                entrepreneur_created_at=entrepreneur.created_at,
                same_address="address" in kinds,
                same_session="session" in kinds,
                same_mailbox="mailbox" in kinds,
                applied_to_their_task=(graduate.id, entrepreneur.id) in worked,
                company_id=company.id if company else None,
                company_name=company.name if company else None,
                company_verified=bool(company and company.is_verified),
            )
        )
    pairs.sort(
        key=lambda p: (
            not p.applied_to_their_task,
            not p.same_session,
            not p.same_mailbox,
            p.graduate_name.lower(),
            p.graduate_id,
            p.entrepreneur_id,
        )
    )
    return pairs
