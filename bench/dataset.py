"""Synthetic data for the benchmark, reproducible from a seed, built through the app's own code paths.

Reference data goes through the real services: the municipality loader (a generated list file), criteria
publication (three versions), rounds, accounts (with a second factor) and five survey waves through the survey
import. The bulk — decided applications with their assessments, decisions and labels over several cycles, and
applications in review with panels and reviews — goes through the ORM models in batches (typed columns, enum
checks, JSON, foreign keys), with snapshots computed by the real scoring engine.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, text

BATCH = 5_000
FRAMEWORK = "kaasav-omavalitsus"
VERSIONS = ["2025.1", "2026.1", "2027.1"]
REAL = Path(__file__).resolve().parent.parent / "labelapp" / "data" / "municipalities" / "ee.tsv"


@dataclass
class Dataset:
    url: str
    instance: Path
    municipalities: int
    labels: int
    in_review: int
    assessor_email: str
    assessor_recovery_codes: list[str]  # each logs the assessor in once (a TOTP code would be good once a step)
    sample_code: str
    sample_label: str
    sample_application: int = 0  # in review, with the bench assessor on its panel
    password: str = "bench-parool-2026"
    coordinator_email: str = ""
    coordinator_recovery_codes: list[str] = field(default_factory=list)

    def login_of(self, role: str) -> tuple[str, list[str]]:
        """The e-mail and the unused recovery codes of the bench's "assessor" or "coordinator"."""
        if role == "coordinator":
            return self.coordinator_email, self.coordinator_recovery_codes
        return self.assessor_email, self.assessor_recovery_codes


def criteria_folder(base: Path) -> Path:
    """The shipped versions plus a third, 2027.1 (2026.1's content under the next version number)."""
    source = Path(__file__).resolve().parent.parent / "criteria" / FRAMEWORK
    target = base / "criteria" / FRAMEWORK
    target.mkdir(parents=True, exist_ok=True)
    for name in ("2025.1.yaml", "2026.1.yaml"):
        shutil.copy(source / name, target / name)
    shutil.copy(source.parent / "programme.yaml", base / "criteria" / "programme.yaml")
    newer = (source / "2026.1.yaml").read_text(encoding="utf-8")
    (target / "2027.1.yaml").write_text(newer.replace("version: '2026.1'", "version: '2027.1'")
                                        .replace('version: "2026.1"', 'version: "2027.1"')
                                        .replace("version: 2026.1", "version: '2027.1'"), encoding="utf-8")
    return base / "criteria"


def municipality_file(path: Path, count: int) -> None:
    """The 79 real municipalities (or the first ``count``), then synthetic ones with 5-digit codes."""
    lines = REAL.read_text(encoding="utf-8").splitlines()
    header, real = lines[0], lines[1:]
    rows = real[:count]
    counties = sorted({line.split("\t")[3] for line in real})
    for number in range(count - len(rows)):
        rows.append(f"EE\t{10000 + number}\tSünteetiline {number + 1} vald\t{counties[number % len(counties)]}\tvald")
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def make_app(url: str, instance: Path, criteria_dir: Path):
    from labelapp import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-only-secret-key",
                       "INSTANCE_PATH": str(instance), "CRITERIA_DIR": str(criteria_dir),
                       "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 8 * 1024, "ARGON2_PARALLELISM": 1})


def build(url: str, *, municipalities: int, labels: int, in_review: int, seed: int = 2026,
          instance: Path | None = None) -> Dataset:
    from flask_migrate import upgrade

    instance = instance or Path(tempfile.mkdtemp(prefix="labelapp-bench-"))
    app = make_app(url, instance, criteria_folder(instance))
    rng = random.Random(seed)
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        with app.test_request_context():
            dataset = _fill(url, instance, rng, municipalities, labels, in_review, seed)
        from labelapp.extensions import db

        db.engine.dispose()
    return dataset


def _fill(url, instance, rng, municipalities, labels, in_review, seed) -> Dataset:
    from labelapp.applications.models import Application, ApplicationRevision
    from labelapp.applications.services import compute_snapshot, score
    from labelapp.applications.states import ApplicationStatus
    from labelapp.assessment.models import Assessment, AssessmentStatus
    from labelapp.auth import second_factor
    from labelapp.auth import services as accounts
    from labelapp.auth.models import Role
    from labelapp.criteria import services as criteria_services
    from labelapp.criteria.services import load as load_criteria
    from labelapp.extensions import db
    from labelapp.labels.models import Decision, Label, LabelState
    from labelapp.municipalities import services as municipality_services
    from labelapp.municipalities.models import Municipality
    from labelapp.panel.models import PanelDecision, PanelMember, Review
    from labelapp.surveys import services as survey_services
    from labelapp.surveys.models import SurveyResult, SurveyWave

    folder = Path(instance)
    municipality_file(folder / "municipalities.tsv", municipalities)
    municipality_services.load(folder / "municipalities.tsv")
    db.session.commit()
    places = db.session.execute(db.select(Municipality.id, Municipality.code).order_by(Municipality.id)).all()

    # Three criteria versions; one round per label cycle (a municipality assesses itself once per round),
    # cycles spread over the versions in order, and the open round of now for the applications in review.
    cycles = max(1, -(-labels // len(places)))
    versions = [criteria_services.publish(FRAMEWORK, version) for version in VERSIONS]
    today = dt.date.today()
    rounds, version_of_cycle = [], []
    for cycle in range(cycles + 1):
        index = min(cycle * len(VERSIONS) // (cycles + 1), len(VERSIONS) - 1)
        round_ = criteria_services.open_round(versions[index], f"Voor {cycle + 1}", today + dt.timedelta(days=30))
        if cycle < cycles:
            criteria_services.close_round(round_)
        rounds.append(round_)
        version_of_cycle.append(index)
    db.session.commit()
    criteria = [load_criteria(stored) for stored in versions]

    coordinator = accounts.create_user("koordinaator@bench.example", "Koordinaator", Role.COORDINATOR, None,
                                       password=Dataset.password)
    assessors = [accounts.create_user(f"hindaja{n}@bench.example", f"Hindaja {n}", Role.ASSESSOR, None,
                                      password=Dataset.password) for n in range(1, 51)]
    recovery, coordinator_recovery = [], []
    for user in [coordinator, *assessors]:
        codes = second_factor.enrol_new(user)
        if user is assessors[0]:
            recovery = codes
        elif user is coordinator:
            coordinator_recovery = codes
    db.session.commit()

    # Five survey waves through the real import path (aggregated files of the real municipalities).
    for year in range(2021, 2026):
        path = folder / f"survey-{year}.csv"
        rows = ["EHAK;Omavalitsus;Osakaal;n"] + [
            f"{code};;{rng.uniform(40, 90):.1f}".replace(".", ",") + f";{rng.randrange(80, 900)}"
            for _id, code in places[:79]]
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        survey_services.import_wave(survey_services.stage_path(path), year, path.name)
    db.session.commit()
    # Applications pin the survey figure in force, as the app does: the newest wave's result of the municipality.
    survey_of = dict(db.session.execute(
        db.select(SurveyResult.municipality_id, SurveyResult.id).join(SurveyWave)
        .where(SurveyWave.superseded_by_id.is_(None)).order_by(SurveyWave.year)).all())

    # Snapshots from the real scoring engine, a few per criteria version, reused across rows, with survey inputs
    # as the app pins them (a stored result of the newest wave: its year, figure and interval).
    newest = db.session.scalar(db.select(SurveyResult).join(SurveyWave).order_by(SurveyWave.year.desc(),
                                                                                 SurveyResult.id).limit(1))
    survey_inputs = {"wave": newest.wave.year, "wave_id": newest.wave_id, "value": newest.value,
                     "ci_low": newest.ci_low, "ci_high": newest.ci_high, "n": newest.n,
                     "n_effective": newest.n_effective, "flag": newest.flag}
    snapshots = {}
    for index, crit in enumerate(criteria):
        ids = [c.id for _a, c in crit.criteria()]
        snapshots[index] = [compute_snapshot(crit, {cid: rng.randrange(1, 5) for cid in ids},
                                             survey_inputs)
                            for _ in range(8)]
    # Panel decisions (levels and the verified scores the scoring engine gives them), a few per version too, so
    # that calibration has data and every municipality page with a reviewed label draws its area chart.
    consolidations = {}
    for index, crit in enumerate(criteria):
        ids = [c.id for _a, c in crit.criteria()]
        consolidations[index] = []
        for _ in range(8):
            levels = {cid: rng.randrange(1, 5) for cid in ids}
            consolidations[index].append((
                {cid: {"level": level, "reason": ""} for cid, level in levels.items()},
                score(crit, levels, survey_inputs)))

    # What each application put forward, frozen at submission as the app does (its revision: the answers the
    # municipality page shows when the municipality publishes them), a few per version; a generator of its own,
    # so that the rows drawn below stay as they were.
    frozen_rng = random.Random(seed + 1)
    frozen = {index: [{c.id: {"level": frozen_rng.randrange(len(c.levels)), "comment": ""}
                       for _a, c in sorted(crit.criteria(), key=lambda pair: pair[1].id)} for _ in range(8)]
              for index, crit in enumerate(criteria)}

    # Rows waiting to be inserted, per model in foreign-key order; explicit ids link them before insertion.
    pending: dict[type, list[dict]] = {model: [] for model in (Assessment, Application, ApplicationRevision,
                                                               Decision, Label, PanelMember, Review, PanelDecision)}
    assessment_rows, application_rows, decision_rows = pending[Assessment], pending[Application], pending[Decision]
    revision_rows = pending[ApplicationRevision]
    label_rows, member_rows, review_rows = pending[Label], pending[PanelMember], pending[Review]

    # On PostgreSQL, RETURNING makes SQLAlchemy send many rows per INSERT ("insertmanyvalues"); without it the
    # driver's executemany sends one statement a row, each firing the tables' statement triggers (the registry
    # change marker) once, which was most of the build time.
    postgres = db.engine.dialect.name == "postgresql"

    def flush_all() -> None:
        for model, rows in pending.items():
            statement = insert(model).returning(model.id) if postgres else insert(model)
            for start in range(0, len(rows), BATCH):
                db.session.execute(statement, rows[start:start + BATCH])
            rows.clear()

    in_review_sample: list[int] = []  # an application in review on the bench assessor's panel
    ids_of_criteria = {index: [c.id for _a, c in crit.criteria()] for index, crit in enumerate(criteria)}

    def panel_of(application_id: int, version_index: int, stamp, decided: bool = True) -> None:
        """A panel of two (the first chairs), both reviews submitted, and its consolidation if ``decided``."""
        members = rng.sample(assessors, 2)
        if not decided and not in_review_sample:
            members[1] = assessors[0] if members[0] is not assessors[0] else members[1]
            in_review_sample.append(application_id)
        for position, user in enumerate(members):
            member_rows.append({"application_id": application_id, "user_id": user.id, "is_chair": position == 0,
                                "deadline": stamp.date() + dt.timedelta(days=30), "assigned_at": stamp})
            review_rows.append({"application_id": application_id, "user_id": user.id, "revision": 1,
                                "levels": {cid: {"level": rng.randrange(1, 5), "comment": ""}
                                           for cid in ids_of_criteria[version_index]},
                                "recommendation": rng.choice(["award", "decline", "unsure"]), "comment": "",
                                "submitted_at": stamp, "updated_at": stamp})
        if decided:
            levels, verified = rng.choice(consolidations[version_index])
            pending[PanelDecision].append({"application_id": application_id, "levels": levels,
                                           "recommendation": "award", "reasons": "", "verified": verified,
                                           "decided_at": stamp})

    # Decided applications and their labels: one cycle per round (two years apart), each municipality in turn.
    per_cycle = len(places)
    previous = {}
    for n in range(labels):
        place_id, _code = places[n % per_cycle]
        cycle = n // per_cycle
        version_index = version_of_cycle[cycle]
        awarded = today - dt.timedelta(days=730 * (cycles - 1 - cycle) + rng.randrange(0, 300))
        valid_until = awarded + dt.timedelta(days=730)
        newest = cycle == (labels - 1) // per_cycle or n + per_cycle >= labels
        state = (rng.choice([LabelState.VALID] * 8 + [LabelState.EXPIRING, LabelState.REVOKED])
                 if newest and valid_until >= today else LabelState.EXPIRED)
        assessment_id = application_id = n + 1  # one assessment and one application per label
        stamp = dt.datetime.combine(awarded, dt.time(12), tzinfo=dt.UTC)
        assessment_rows.append({"id": assessment_id, "municipality_id": place_id,
                                "round_id": rounds[cycle].id,
                                "criteria_version_id": versions[version_index].id,
                                "status": AssessmentStatus.SUBMITTED, "version": 1, "created_at": stamp,
                                "updated_at": stamp, "submitted_at": stamp})
        application_rows.append({"id": application_id, "assessment_id": assessment_id, "municipality_id": place_id,
                                 "criteria_version_id": versions[version_index].id,
                                 "status": ApplicationStatus.AWARDED, "revision": 1,
                                 "snapshot": rng.choice(snapshots[version_index]), "created_at": stamp,
                                 "survey_result_id": survey_of.get(place_id),
                                 "updated_at": stamp, "publish_details": n % 2 == 0})
        revision_rows.append({"application_id": application_id, "number": 1, "evidence": [], "note": "",
                              "answers": frozen[version_index][n % 8], "created_at": stamp})
        decision_rows.append({"application_id": application_id, "outcome": "award", "decided_at": stamp,
                              "released_at": stamp, "decided_by_id": coordinator.id})
        label_rows.append({"id": n + 1, "public_id": f"{rng.getrandbits(128):032x}", "application_id": application_id,
                           "municipality_id": place_id, "criteria_version_id": versions[version_index].id,
                           "level": rng.choice(["märgis", "kuldmärgis"]), "awarded_on": awarded,
                           "valid_until": valid_until, "state": state, "state_changed_at": stamp,
                           "previous_label_id": previous.get(place_id), "status_index": n})
        previous[place_id] = n + 1
        if cycle >= cycles - 2:  # the newest cycles were reviewed by panels in this system
            panel_of(application_id, version_index, stamp)
        if len(label_rows) >= BATCH:
            flush_all()
    flush_all()

    # Applications in review in the open round, with their panels and reviews.
    current = rounds[-1]
    for n in range(min(in_review, per_cycle)):
        place_id, _code = places[n]
        assessment_id = application_id = labels + n + 1
        now = dt.datetime.now(dt.UTC)
        assessment_rows.append({"id": assessment_id, "municipality_id": place_id, "round_id": current.id,
                                "criteria_version_id": versions[-1].id, "status": AssessmentStatus.SUBMITTED,
                                "version": 1, "created_at": now, "updated_at": now, "submitted_at": now})
        application_rows.append({"id": application_id, "assessment_id": assessment_id, "municipality_id": place_id,
                                 "criteria_version_id": versions[-1].id, "status": ApplicationStatus.IN_REVIEW,
                                 "revision": 1, "snapshot": rng.choice(snapshots[len(VERSIONS) - 1]),
                                 "survey_result_id": survey_of.get(place_id),
                                 "created_at": now, "updated_at": now})
        revision_rows.append({"application_id": application_id, "number": 1, "evidence": [], "note": "",
                              "answers": frozen[len(VERSIONS) - 1][n % 8], "created_at": now})
        panel_of(application_id, len(VERSIONS) - 1, now, decided=False)
        if len(application_rows) >= BATCH:
            flush_all()
    flush_all()
    if db.engine.dialect.name == "postgresql":
        for table in ("assessment", "application", "label"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                                    f"(SELECT coalesce(max(id), 1) FROM {table}))"))
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    sample_label = db.session.scalar(db.select(Label.public_id).order_by(Label.id.desc()).limit(1)) or ""
    return Dataset(url, Path(instance), len(places), labels, in_review, assessors[0].email, recovery,
                   places[0][1], sample_label, in_review_sample[0] if in_review_sample else 0,
                   coordinator_email=coordinator.email, coordinator_recovery_codes=coordinator_recovery)
