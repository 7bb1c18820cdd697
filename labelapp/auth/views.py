from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from labelapp.auth import services
from labelapp.auth.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, NewPasswordForm, TieForm
from labelapp.auth.models import AssessorTie, TieKind, TokenPurpose
from labelapp.auth.permissions import access, authenticated, can_declare_ties, public
from labelapp.core.forms import commit_or_report, form_status
from labelapp.core.urls import safe_next
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality
from labelapp.municipalities.queries import municipality_choices

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@access(public)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = services.authenticate(form.email.data, form.password.data, request.remote_addr)
        db.session.commit()
        if result.ok:
            session.clear()  # nothing from before the login carries over into the logged-in session
            login_user(result.user)
            flash(_("You are logged in."), "success")
            return redirect(safe_next("core.dashboard"))
        status = 422
        if result.locked_until is not None:
            status = 429
            form.password.errors.append(
                _("Too many failed attempts. Try again after %(time)s, or reset your password.",
                  time=format_datetime(result.locked_until, "short"))
            )
        else:
            form.password.errors.append(_("The e-mail address or the password is not correct."))
    status = max(status, form_status(form))
    return render_template("auth/login.html", form=form, next=request.args.get("next", "")), status


@bp.route("/logout", methods=["POST"])
@access(authenticated)
def logout():
    services.end_all_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out."), "success")
    return redirect(url_for("core.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@access(public)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data, base_url=request.host_url)
        db.session.commit()
        flash(_("If an account uses that address, a link to set a new password is on its way."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), form_status(form)


def _set_password_with_token(token: str, purpose: TokenPurpose, template: str):
    if services.find_valid_token(token, purpose) is None:
        return render_template("auth/token_invalid.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit() and commit_or_report(
            form.password, lambda: services.use_token(token, purpose, form.password.data)):
        flash(_("Your password is set. You can now log in."), "success")
        return redirect(url_for("auth.login"))
    return render_template(template, form=form), form_status(form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@access(public)
def reset_password(token: str):
    return _set_password_with_token(token, TokenPurpose.RESET, "auth/reset.html")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@access(public)
def accept_invitation(token: str):
    return _set_password_with_token(token, TokenPurpose.INVITE, "auth/invitation.html")


@bp.route("/account", methods=["GET", "POST"])
@access(authenticated)
def account():
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit() and commit_or_report(
            form.password, lambda: services.change_password(user, form.current.data, form.password.data)):
        login_user(user)  # the session version changed: keep this session, end the others
        flash(_("Your password is changed. Other sessions have been logged out."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form), form_status(form)


@bp.route("/account/ties", methods=["GET", "POST"])
@access(can_declare_ties)
def ties():
    form = TieForm()
    form.municipality.choices = municipality_choices()
    if form.validate_on_submit():
        municipality = db.get_or_404(Municipality, int(form.municipality.data))
        if commit_or_report(form.municipality, lambda: services.add_tie(
                current_user._get_current_object(), municipality, TieKind(form.kind.data), form.note.data or "")):
            flash(_("The tie is recorded."), "success")
            return redirect(url_for("auth.ties"))
    rows = db.session.scalars(
        select(AssessorTie).where(AssessorTie.user_id == current_user.id)
        .options(db.joinedload(AssessorTie.municipality)).order_by(AssessorTie.id)
    ).all()
    return render_template("auth/ties.html", form=form, ties=rows), form_status(form)


@bp.route("/account/ties/<int:tie_id>/delete", methods=["POST"])
@access(can_declare_ties)
def delete_tie(tie_id: int):
    tie = db.session.get(AssessorTie, tie_id)
    if tie is None or tie.user_id != current_user.id:
        abort(404)
    services.remove_tie(tie)
    db.session.commit()
    flash(_("The tie is removed."), "success")
    return redirect(url_for("auth.ties"))
