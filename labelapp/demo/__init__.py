"""Demo data for trying the service locally: accounts, a criteria round, a registry of labels in every state and
the programme's results and good practice.

Never used with the production configuration. The demo may import every package; no package imports it.
"""

import datetime as dt

from sqlalchemy import select

from labelapp.auth import second_factor, services, ties
from labelapp.auth.models import Role, TieKind, User
from labelapp.criteria import services as criteria_services
from labelapp.criteria.models import Round
from labelapp.demo.plans import seed_plans
from labelapp.demo.programme import seed_programme
from labelapp.demo.registry import seed_registry
from labelapp.extensions import db
from labelapp.municipalities import services as municipality_services
from labelapp.municipalities.lookup import by_code
from labelapp.municipalities.models import Municipality

# The published demo password (demo data is refused in production).
PASSWORD = "demo-parool-2026"  # noqa: S105  # nosec B105
COUNTRY = "EE"
DEMO_CRITERIA = ("kaasav-omavalitsus", "2025.1")
DEMO_ROUND = "Märgisevoor 2026 (demo)"

ACCOUNTS = [
    ("koordinaator@demo.kaasav.ee", "Kadri Koordinaator", Role.COORDINATOR, None),
    ("hindaja1@demo.kaasav.ee", "Hannes Hindaja", Role.ASSESSOR, None),
    ("hindaja2@demo.kaasav.ee", "Helen Hindaja", Role.ASSESSOR, None),
    ("hindaja3@demo.kaasav.ee", "Hugo Hindaja", Role.ASSESSOR, None),
    ("tallinn@demo.kaasav.ee", "Tiina Tallinnast", Role.STAFF, "0784"),
    ("tartu@demo.kaasav.ee", "Toomas Tartust", Role.STAFF, "0793"),
    ("saaremaa@demo.kaasav.ee", "Sirje Saaremaalt", Role.STAFF, "0714"),
]


def seed() -> int:
    """Create missing demo accounts (and the municipality list if empty); commit; return how many were new."""
    if db.session.scalar(select(Municipality.id).limit(1)) is None:
        municipality_services.load()
    created = 0
    for email, name, role, code in ACCOUNTS:
        if services.find_user(email) is not None:
            continue
        municipality = by_code(code, COUNTRY) if code else None
        user = services.create_user(email, name, role, municipality, password=PASSWORD)
        if second_factor.required_for(user):
            second_factor.enrol_new(user)
        created += 1
    helen = services.find_user("hindaja2@demo.kaasav.ee")
    if created and not helen.ties:
        ties.add_tie(helen, by_code("0793", COUNTRY), TieKind.LIVES_IN, "Elab Tartus.")
    seed_registry(PASSWORD, *DEMO_CRITERIA)
    seed_plans()
    seed_programme(PASSWORD, *DEMO_CRITERIA)
    _criteria_and_round()
    db.session.commit()
    return created


def _criteria_and_round() -> None:
    """Publish the first criteria version and open a round under it, so staff can start assessing."""
    stored = criteria_services.published(*DEMO_CRITERIA)
    if stored is None:
        stored = criteria_services.publish(*DEMO_CRITERIA)
    if criteria_services.current_round() is None and not db.session.scalar(
            select(Round.id).where(Round.title == DEMO_ROUND)):
        criteria_services.open_round(stored, DEMO_ROUND, dt.date.today() + dt.timedelta(days=120))


def current_code(email: str) -> str | None:
    """The authenticator code a demo account would show now (None for other accounts or without a factor)."""
    user = services.find_user(email)
    if user is None or email not in {a[0] for a in ACCOUNTS} or user.totp_secret is None:
        return None
    return second_factor.code_at(second_factor.secret_of(user), second_factor.current_step())


def logins() -> list[tuple[str, str, str, str]]:
    """(e-mail, role, municipality, authenticator key or "") of each demo account."""
    users = db.session.scalars(
        select(User).where(User.email.in_([a[0] for a in ACCOUNTS])).options(db.joinedload(User.municipality))
    ).all()
    order = {a[0]: i for i, a in enumerate(ACCOUNTS)}
    return [(u.email, u.role.value, u.municipality.name if u.municipality else "", second_factor.secret_of(u) or "")
            for u in sorted(users, key=lambda u: order[u.email])]
