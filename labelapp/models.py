"""Imports every model so that the metadata (and Alembic's autogenerate) sees all tables."""

from labelapp.applications.models import Application  # noqa: F401
from labelapp.assessment.models import Answer, Assessment, Evidence  # noqa: F401
from labelapp.auth.models import AssessorTie, AuthToken, LoginAttempt, RecoveryCode, User  # noqa: F401
from labelapp.core.models import AuditEntry, OutboxMessage  # noqa: F401
from labelapp.criteria.models import CriteriaVersion, Round  # noqa: F401
from labelapp.improvement.models import ImprovementAction, ImprovementPoint, PlanPublication  # noqa: F401
from labelapp.labels.models import Appeal, Decision, Label, LabelReminder  # noqa: F401
from labelapp.municipalities.models import Municipality  # noqa: F401
from labelapp.panel.models import Clarification, ConflictDeclaration, PanelDecision, PanelMember, Review  # noqa: F401
from labelapp.programme.models import GoodExample, GoodExampleFile  # noqa: F401
from labelapp.registry.models import RegistryChange  # noqa: F401
from labelapp.surveys.models import SurveyResult, SurveyWave  # noqa: F401
