"""Login throttling, kept in the database (``LoginAttempt``) so that it holds across worker processes.

Three limits, each over the sliding window LOGIN_WINDOW_SECONDS, and none of which lets guessing at one
account block another account's right password:

* per (address, account): LOGIN_MAX_FAILURES failures of one account from one client address lock that
  account for that address until the oldest of them leaves the window;
* per account, from any address: LOGIN_MAX_FAILURES_ACCOUNT failures lock the account (guessing spread
  over many addresses); as each address is held to its own limits, this takes several addresses;
* per address, only for guessing at many accounts (or unknown ones): once failures from one address concern
  more than LOGIN_CLIENT_FREE_ACCOUNTS different e-mail addresses, the address waits 2**k seconds after its
  latest failure, k being the accounts beyond that allowance, at most LOGIN_CLIENT_MAX_DELAY_SECONDS. People
  sharing the address (an office behind one router) wait that long, not a quarter of an hour.

A successful login ends the account's count (not the address's). Refused attempts are stored as THROTTLED and
neither count nor extend a lock.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import distinct, func, select

from labelapp.auth.models import AttemptOutcome, LoginAttempt
from labelapp.core.types import utcnow
from labelapp.extensions import db


class LockScope(enum.StrEnum):
    ACCOUNT = "account"  # this account (from this address, or from everywhere)
    ADDRESS = "address"  # this client address, for guessing at many accounts


@dataclass(frozen=True)
class Lock:
    until: datetime
    scope: LockScope


def _window_start(since: datetime | None) -> datetime:
    start = utcnow() - timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])
    return since if since is not None and since > start else start


def _failures(*conditions):
    return select(LoginAttempt.at).where(LoginAttempt.outcome == AttemptOutcome.FAILURE, *conditions)


def _count_lock(query, limit: int) -> datetime | None:
    """When fewer than ``limit`` of the failures ``query`` selects will be left in the window, if ``limit`` are."""
    recent = list(db.session.scalars(query.order_by(LoginAttempt.at.desc()).limit(limit)))
    if len(recent) < limit:
        return None
    return min(recent) + timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])


def last_success(email: str) -> datetime | None:
    return db.session.scalar(select(func.max(LoginAttempt.at)).where(
        LoginAttempt.email == email, LoginAttempt.outcome == AttemptOutcome.SUCCESS))


def account_lock(email: str, client: str) -> datetime | None:
    config = current_app.config
    start = _window_start(last_success(email))
    locks = [
        _count_lock(_failures(LoginAttempt.email == email, LoginAttempt.client == client, LoginAttempt.at > start),
                    config["LOGIN_MAX_FAILURES"]),
        _count_lock(_failures(LoginAttempt.email == email, LoginAttempt.at > start),
                    config["LOGIN_MAX_FAILURES_ACCOUNT"]),
    ]
    return max(filter(None, locks), default=None)


def address_backoff(client: str) -> datetime | None:
    """Until when ``client`` waits because its failures concern too many different accounts, if it does."""
    config = current_app.config
    start = _window_start(None)
    accounts, latest = db.session.execute(
        select(func.count(distinct(LoginAttempt.email)), func.max(LoginAttempt.at)).where(
            LoginAttempt.client == client, LoginAttempt.outcome == AttemptOutcome.FAILURE, LoginAttempt.at > start)
    ).one()
    beyond = accounts - config["LOGIN_CLIENT_FREE_ACCOUNTS"]
    if beyond <= 0:
        return None
    delay = min(2 ** min(beyond, 30), config["LOGIN_CLIENT_MAX_DELAY_SECONDS"])
    until = latest + timedelta(seconds=delay)
    return until if until > utcnow() else None


def lock_for(email: str, client: str) -> Lock | None:
    """The lock that refuses a login of ``email`` from ``client`` now, if any (the one that lasts longer)."""
    locks = [Lock(until, scope) for until, scope in ((account_lock(email, client), LockScope.ACCOUNT),
                                                     (address_backoff(client), LockScope.ADDRESS)) if until]
    return max(locks, key=lambda lock: lock.until, default=None)
