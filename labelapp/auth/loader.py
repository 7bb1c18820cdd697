from labelapp.auth.models import User
from labelapp.extensions import db


def load_user(session_id: str) -> User | None:
    """Resolve the login cookie's "<user id>:<session version>"; an old version means a logged-out session."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user
