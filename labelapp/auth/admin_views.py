"""Coordinator pages for accounts: list, invite, edit role and municipality, resend an invitation; confirm or refuse
an assessor's request to remove a tie."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from labelapp.auth import services, ties
from labelapp.auth.forms import EditUserForm, InviteForm
from labelapp.auth.models import AssessorTie, Role, TokenPurpose, User
from labelapp.auth.permissions import access, can_decide_tie_removals, can_manage_users
from labelapp.core import audit
from labelapp.core.forms import commit_or_report, form_status
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality
from labelapp.municipalities.queries import municipality_choices

bp = Blueprint("users", __name__, url_prefix="/admin/users")


def _chosen_municipality(form) -> Municipality | None:
    if not form.municipality.data:
        return None
    return db.get_or_404(Municipality, int(form.municipality.data))


@bp.route("/")
@access(can_manage_users)
def index():
    role = request.args.get("role", "")
    query = select(User).options(db.joinedload(User.municipality)).order_by(User.role, User.name, User.id)
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    page = db.paginate(query, per_page=current_app.config["USERS_PAGE_SIZE"], error_out=False)
    return render_template("users/index.html", page=page, role=role, roles=list(Role))


@bp.route("/invite", methods=["GET", "POST"])
@access(can_manage_users)
def invite():
    form = InviteForm()
    form.municipality.choices = municipality_choices(blank=_("— none —"))
    if form.validate_on_submit() and commit_or_report(form.email, lambda: services.invite_user(
            form.email.data, form.name.data, Role(form.role.data), _chosen_municipality(form))):
        flash(_("Invitation sent to %(email)s.", email=services.normalise_email(form.email.data)), "success")
        return redirect(url_for("users.index"))
    return render_template("users/invite.html", form=form), form_status(form)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@access(can_manage_users)
def edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = EditUserForm(obj=user if request.method == "GET" else None)
    form.municipality.choices = municipality_choices(blank=_("— none —"))
    if request.method == "GET":
        form.role.data = user.role.value
        form.municipality.data = str(user.municipality_id or "")
    if form.validate_on_submit():
        if user.id == current_user.id and (form.role.data != Role.COORDINATOR.value or not form.active.data):
            form.role.errors.append(_("You cannot remove your own coordinator role or disable yourself."))
        elif commit_or_report(form.role, lambda: services.update_user(
                user, name=form.name.data, role=Role(form.role.data), municipality=_chosen_municipality(form),
                active=form.active.data)):
            flash(_("The account of %(email)s is saved.", email=user.email), "success")
            return redirect(url_for("users.index"))
    return render_template("users/edit.html", form=form, user=user), form_status(form)


@bp.route("/<int:user_id>/resend-invitation", methods=["POST"])
@access(can_manage_users)
def resend_invitation(user_id: int):
    user = db.get_or_404(User, user_id)
    if user.password_hash is not None:
        abort(409)
    raw = services.issue_token(user, TokenPurpose.INVITE)
    services.send_token_mail(user, TokenPurpose.INVITE, raw)
    audit.record("user.invite_resent", "user", user.id)
    db.session.commit()
    flash(_("A new invitation was sent to %(email)s.", email=user.email), "success")
    return redirect(url_for("users.edit", user_id=user.id))


@bp.route("/ties")
@access(can_decide_tie_removals)
def tie_requests():
    return render_template("users/ties.html", ties=ties.pending_removals())


@bp.route("/ties/<int:tie_id>/confirm", methods=["POST"])
@access(can_decide_tie_removals)
def confirm_tie_removal(tie_id: int):
    tie = db.get_or_404(AssessorTie, tie_id)
    who, where = tie.user.name, tie.municipality.name
    ties.confirm_removal(tie)
    db.session.commit()
    flash(_("The tie of %(assessor)s to %(municipality)s is removed.", assessor=who, municipality=where), "success")
    return redirect(url_for("users.tie_requests"))


@bp.route("/ties/<int:tie_id>/refuse", methods=["POST"])
@access(can_decide_tie_removals)
def refuse_tie_removal(tie_id: int):
    tie = db.get_or_404(AssessorTie, tie_id)
    ties.refuse_removal(tie)
    db.session.commit()
    flash(_("The tie of %(assessor)s to %(municipality)s stays.", assessor=tie.user.name,
            municipality=tie.municipality.name), "success")
    return redirect(url_for("users.tie_requests"))
