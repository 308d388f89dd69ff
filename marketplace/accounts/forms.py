"""Account forms: register, log in, change password, roles."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..inputs import BaseForm
from .models import Role
from .services import PHONE_RE, normalise_login, password_is_weak

WEAK_PASSWORD = _l(
    "This password is too easy to guess. Avoid common passwords, number sequences and "
    "your e-mail address, mobile number or name."
)

ROLE_LABELS = {
    Role.cooperative_manager: _l("Cooperative manager"),
    Role.station_operator: _l("Station operator"),
    Role.admin: _l("Administrator"),
}


class RegisterForm(BaseForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=100)])
    login = StringField(
        _l("E-mail or mobile number"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(min=8, max=128, message=_l("Use 8 to 128 characters."))],
        description=_l("At least 8 characters."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(), EqualTo("password", message=_l("Passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Create account"))

    def validate_login(self, field):
        email, phone = normalise_login(field.data)
        if phone:
            return
        if not email or "@" not in email or "." not in email.rsplit("@", 1)[-1]:
            raise ValidationError(_l("Enter an e-mail address or an 11-digit mobile number."))

    def validate_password(self, field):
        if password_is_weak(field.data or "", self.login.data, self.name.data):
            raise ValidationError(WEAK_PASSWORD)


class LoginForm(BaseForm):
    login = StringField(
        _l("E-mail or mobile number"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    remember = BooleanField(_l("Keep me logged in"))
    submit = SubmitField(_l("Log in"))


class ChangePasswordForm(BaseForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=8, max=128, message=_l("Use 8 to 128 characters."))],
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("Passwords do not match."))],
    )
    submit = SubmitField(_l("Change password"))

    def validate_password(self, field):
        user = current_user
        if password_is_weak(field.data or "", user.login_name, user.email, user.phone, user.name):
            raise ValidationError(WEAK_PASSWORD)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RolesForm(BaseForm):
    roles = MultiCheckboxField(
        _l("Roles"),
        choices=[(role.value, label) for role, label in ROLE_LABELS.items()],
        validators=[Optional()],
    )
    submit = SubmitField(_l("Save roles"))


class AddressForm(BaseForm):
    """A delivery address; the service checks the phone and the division chain."""

    recipient = StringField(
        _l("Recipient"),
        validators=[DataRequired(), Length(max=50)],
        render_kw={"autocomplete": "name"},
    )
    phone = StringField(
        _l("Mobile number"),
        validators=[DataRequired(), Length(max=20)],
        render_kw={"inputmode": "tel", "autocomplete": "tel"},
    )
    province_code = SelectField(_l("Province"), validate_choice=False)
    city_code = SelectField(_l("City"), validate_choice=False)
    district_code = SelectField(_l("District"), validate_choice=False)
    choose = SubmitField(_l("Choose"))
    street = StringField(
        _l("Street address"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("Street, building, unit and room number."),
        render_kw={"autocomplete": "street-address"},
    )
    is_default = BooleanField(_l("Use as my default address"))
    next = HiddenField()
    submit = SubmitField(_l("Save address"))


class ConfirmAddressForm(BaseForm):
    """The CSRF token of the delete and make-default buttons."""


__all__ = [
    "PHONE_RE",
    "AddressForm",
    "ChangePasswordForm",
    "ConfirmAddressForm",
    "LoginForm",
    "RegisterForm",
    "RolesForm",
]
