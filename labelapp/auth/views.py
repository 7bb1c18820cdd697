from flask import (
    Blueprint,
    abort,
    after_this_request,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from markupsafe import Markup
from sqlalchemy import select

from labelapp.auth import resets, second_factor, services, sessions
from labelapp.auth import ties as assessor_ties
from labelapp.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    SecondFactorForm,
    TieForm,
)
from labelapp.auth.models import AssessorTie, TieKind, TokenPurpose
from labelapp.auth.permissions import access, authenticated, can_declare_ties, public
from labelapp.auth.throttle import LockScope
from labelapp.core import audit, mail
from labelapp.core.forms import commit_or_report, form_status
from labelapp.core.urls import safe_next
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality
from labelapp.municipalities.queries import municipality_choices

bp = Blueprint("auth", __name__)
CANDIDATE = "second_factor_candidate"  # session key: a secret being set up, not yet confirmed


@bp.route("/login", methods=["GET", "POST"])
@access(public)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("pages.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = services.authenticate(form.email.data, form.password.data, request.remote_addr)
        db.session.commit()
        if result.ok and result.user.has_second_factor:
            sessions.start_pending(result.user, safe_next("pages.dashboard"))
            return redirect(url_for("auth.login_second_factor"))
        if result.ok:
            sessions.start(result.user)
            flash(_("You are logged in."), "success")
            return redirect(safe_next("pages.dashboard"))
        status = _refusal(form.password, result)
        if status == 422:
            form.password.errors.append(_("The e-mail address or the password is not correct."))
    status = max(status, form_status(form))
    return render_template("auth/login.html", form=form, next=request.args.get("next", "")), status


def _refusal(field, result: services.LoginResult) -> int:
    if result.lock is None:
        return 422
    when = format_datetime(result.lock.until, "medium")
    if result.lock.scope == LockScope.ADDRESS:
        field.errors.append(_("Too many failed logins from your network address, for several accounts. "
                              "Try again after %(time)s.", time=when))
    else:
        field.errors.append(_("Too many failed logins for this account. Try again after %(time)s.", time=when))
    return 429


@bp.route("/login/second-factor", methods=["GET", "POST"])
@access(public)
def login_second_factor():
    user, next_url = sessions.pending()
    if user is None:
        flash(_("Please log in again: the time for the second step ran out."), "info")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    status = 200
    if form.validate_on_submit():
        result = services.authenticate_second_factor(user, form.code.data, request.remote_addr)
        db.session.commit()
        if result.ok:
            sessions.start(user)
            flash(_("You are logged in."), "success")
            return redirect(safe_next("pages.dashboard", next_url))
        status = _refusal(form.code, result)
        if status == 422:
            form.code.errors.append(_("The code is not correct, or it has been used already. Codes change every "
                                      "30 seconds."))
    status = max(status, form_status(form))
    return render_template("auth/second_factor_login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@access(authenticated)
def logout():
    services.end_all_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out."), "success")
    return redirect(url_for("pages.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@access(public)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        resets.request_reset(form.email.data, request.remote_addr)
        db.session.commit()
        after_this_request(_handle_resets_once_sent)
        flash(_("If an account uses that address, a link to set a new password is on its way."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), form_status(form)


def _handle_resets_once_sent(response):
    """Make the token and the e-mail after the response has gone (the WSGI server closes it then), so that the
    answer neither waits for them nor shows by its timing whether the account exists."""
    app = current_app._get_current_object()

    def handle():
        with app.app_context():
            try:
                resets.handle_pending()
                db.session.commit()
                mail.deliver_committed()
            except Exception:  # a closing response must not raise; the request is handled by a later one
                db.session.rollback()
                app.logger.exception("password reset requests could not be handled")

    response.call_on_close(handle)
    return response


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
        sessions.start(user)  # the session version changed: keep this session, end the others
        flash(_("Your password is changed. Other sessions have been logged out."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form), form_status(form)


@bp.route("/account/second-factor", methods=["GET", "POST"])
@access(authenticated)
def second_factor_page():
    """Set up the authenticator app (a new secret is kept in the session until a code confirms it)."""
    user = current_user._get_current_object()
    form = SecondFactorForm()
    if user.has_second_factor:
        return render_template("auth/second_factor.html", form=form, user=user,
                               unused=second_factor.unused_recovery_codes(user),
                               required=second_factor.required_for(user))
    secret = session.get(CANDIDATE) or second_factor.new_secret()
    session[CANDIDATE] = secret
    if form.validate_on_submit():
        codes = second_factor.enrol(user, secret, form.code.data)
        if codes is not None:
            db.session.commit()
            session.pop(CANDIDATE, None)
            return render_template("auth/recovery_codes.html", codes=codes)
        form.code.errors.append(_("The code does not match. Check the clock of your phone and type the newest code."))
    uri = second_factor.provisioning_uri(user, secret)
    import segno  # only the pages that draw a QR code

    svg = segno.make(uri, error="m").svg_inline(scale=4, border=2, title=_("QR code for the authenticator app"))
    # segno's own SVG markup; segno escapes the title.
    qr = Markup(svg)  # noqa: S704  # nosec B704
    return render_template("auth/second_factor_setup.html", form=form, secret=secret, qr=qr,
                           required=second_factor.required_for(user)), form_status(form)


@bp.route("/account/second-factor/recovery-codes", methods=["POST"])
@access(authenticated)
def new_recovery_codes():
    user = current_user._get_current_object()
    form = SecondFactorForm()
    if user.has_second_factor and form.validate_on_submit() and second_factor.check(user, form.code.data):
        codes = second_factor.replace_recovery_codes(user)
        audit.record("user.recovery_codes_replaced", "user", user.id)
        db.session.commit()
        return render_template("auth/recovery_codes.html", codes=codes)
    db.session.rollback()
    flash(_("The code is not correct, or it has been used already. Nothing was changed."), "error")
    return redirect(url_for("auth.second_factor_page"))


@bp.route("/account/second-factor/off", methods=["POST"])
@access(authenticated)
def second_factor_off():
    user = current_user._get_current_object()
    form = SecondFactorForm()
    if second_factor.required_for(user):
        abort(403)
    if user.has_second_factor and form.validate_on_submit() and second_factor.check(user, form.code.data):
        second_factor.turn_off(user)
        db.session.commit()
        flash(_("The second factor is turned off."), "success")
        return redirect(url_for("auth.account"))
    db.session.rollback()
    flash(_("The code is not correct, or it has been used already. Nothing was changed."), "error")
    return redirect(url_for("auth.second_factor_page"))


@bp.route("/account/ties", methods=["GET", "POST"])
@access(can_declare_ties)
def ties():
    form = TieForm()
    form.municipality.choices = municipality_choices()
    if form.validate_on_submit():
        municipality = db.get_or_404(Municipality, int(form.municipality.data))
        if commit_or_report(form.municipality, lambda: assessor_ties.add_tie(
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
    municipality = tie.municipality.name
    if assessor_ties.remove_tie(tie):
        flash(_("The tie is removed."), "success")
    else:
        flash(_("%(municipality)s has an application being assessed, so a coordinator confirms the removal of this "
                "tie. Until then the tie stays and you are not assigned to that application.",
                municipality=municipality), "info")
    db.session.commit()
    return redirect(url_for("auth.ties"))
