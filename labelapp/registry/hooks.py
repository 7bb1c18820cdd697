"""What the registry does when lower packages signal: a rotated signing key moves the change marker, so every
cache of signed answers (credentials, status lists, the DID document) is dropped in every worker."""

from sqlalchemy import update

from labelapp.core import keys
from labelapp.core.types import utcnow
from labelapp.extensions import db
from labelapp.registry.models import RegistryChange


def _key_rotated(_sender=None, **_extra) -> None:
    db.session.execute(update(RegistryChange).where(RegistryChange.id == 1)
                       .values(counter=RegistryChange.counter + 1, changed_at=utcnow()))


def connect() -> None:
    keys.signing_key_rotated.connect(_key_rotated)
