"""Account pages: register, log in/out, change password, and the admin's user list."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import DomainError
from ..extensions import db, limiter, login_manager
from ..inputs import query_int
from . import services
from .forms import ROLE_LABELS, ChangePasswordForm, LoginForm, RegisterForm, RolesForm
from .models import User
from .permissions import admin_required

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(session_id: str):
    return services.load_user_from_session_id(session_id)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


def _safe_next(default: str) -> str:
    target = request.args.get("next") or request.form.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return default


def _start_session(user: User, remember: bool = False) -> None:
    # A fresh session on login: nothing from before (except the cart) survives.
    cart = session.get("cart")
    session.clear()
    if cart:
        session["cart"] = cart
    login_user(user, remember=remember)  # orders hears of it and merges the cart


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        email, phone = services.normalise_login(form.login.data)
        try:
            user = services.register_user(form.name.data, form.password.data, email, phone)
        except DomainError as exc:
            form.login.errors.append(exc.message)
        else:
            _start_session(user)  # also moves the visitor's cart into the new account
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.name), "success")
            return redirect(_safe_next(url_for("core.home")))
    return render_template("accounts/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.login.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Wrong e-mail/mobile number or password."))
        else:
            _start_session(user, remember=form.remember.data)
            flash(_("You are logged in."), "success")
            return redirect(_safe_next(url_for("core.home")))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    services.end_sessions(current_user._get_current_object())
    # Clear first: logout_user() leaves the marker that deletes the remember cookie.
    session.clear()
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("core.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.password.data)
        except DomainError as exc:
            form.current.errors.append(exc.message)
        else:
            _start_session(current_user._get_current_object())
            flash(_("Your password was changed."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/password.html", form=form)


@bp.get("/account")
@login_required
def account():
    return render_template("accounts/account.html", role_labels=ROLE_LABELS)


@bp.get("/admin/users")
@admin_required
def user_list():
    page = query_int("page", 1)
    query = request.args.get("q", "").strip()
    users = services.list_users(query or None, page=page)
    return render_template("accounts/user_list.html", users=users, q=query, role_labels=ROLE_LABELS)


@bp.route("/admin/users/<int:user_id>/roles", methods=["GET", "POST"])
@admin_required
def user_roles(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = RolesForm(data={"roles": [r.value for r in user.roles]})
    if form.validate_on_submit():
        services.set_roles(user, set(form.roles.data))
        flash(_("Roles of %(name)s saved.", name=user.name), "success")
        return redirect(url_for("accounts.user_list"))
    return render_template("accounts/user_roles.html", form=form, user=user)


from . import address_pages  # noqa: E402, F401  (the address book's routes on `bp`)
