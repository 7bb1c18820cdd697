from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from labelapp.auth.models import ROLE_LABELS, TIE_LABELS, Role
from labelapp.core.forms import Form


class LoginForm(Form):
    # A text input for the e-mail address: "username" (what password managers fill) is not a valid autocomplete
    # token on type=email for HTML_CodeSniffer (WCAG 1.3.5); the Email validator checks the address.
    email = StringField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=255)],
                        render_kw={"autocomplete": "username", "inputmode": "email", "autocapitalize": "off",
                                   "spellcheck": "false"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})


class SecondFactorForm(Form):
    code = StringField(
        _l("Code"), validators=[DataRequired(), Length(max=32)],
        description=_l("The 6-digit code from your authenticator app, or one of your recovery codes."),
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"},
    )


class ForgotPasswordForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=255)],
                       render_kw={"autocomplete": "email"})


class NewPasswordForm(Form):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=256)],
        description=_l("At least 12 characters. A few unrelated words make a good password."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)],
                            render_kw={"autocomplete": "current-password"})


def _municipality_required_for_staff(form, field):
    if form.role.data == Role.STAFF.value and not field.data:
        raise ValidationError(_l("Choose the municipality that this staff member works for."))
    if form.role.data != Role.STAFF.value and field.data:
        raise ValidationError(_l("Only municipal staff belong to a municipality; leave this empty."))


class UserForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)],
                       render_kw={"autocomplete": "off"})
    role = SelectField(_l("Role"), choices=[SelectChoice(r.value, ROLE_LABELS[r]) for r in Role],
                       validators=[DataRequired()])
    municipality = SelectField(
        _l("Municipality"),
        choices=[],
        validators=[_municipality_required_for_staff],
        description=_l("Only for municipal staff."),
    )


class InviteForm(UserForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=255)],
                       render_kw={"autocomplete": "off"})


class EditUserForm(UserForm):
    active = BooleanField(_l("Account is active"), description=_l("An inactive account cannot log in."))


class TieForm(Form):
    municipality = SelectField(_l("Municipality"), choices=[], validators=[DataRequired()])
    kind = SelectField(_l("Kind of tie"), choices=[SelectChoice(k.value, label) for k, label in TIE_LABELS.items()],
                       validators=[DataRequired()])
    note = TextAreaField(_l("Details (optional)"), validators=[Optional(), Length(max=1000)])
