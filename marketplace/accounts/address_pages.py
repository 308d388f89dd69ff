"""The buyer's address book pages: list, add, edit, delete, make default.

The province -> city -> district selects work without JavaScript: the "Choose" button posts
the form back and the page comes again with the next level's options (nothing is saved);
static/js/addresses.js only fills the next select at once from /api/v1/divisions.
"""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..regions import divisions
from . import addresses
from .forms import AddressForm, ConfirmAddressForm
from .views import _safe_next, bp


def _options(parent_code, placeholder):
    locale = getattr(g, "locale_code", "zh")
    items = divisions.children_of(parent_code) if parent_code is not False else []
    return [("", placeholder)] + [(d.code, _division_label(d, locale)) for d in items]


def _division_label(division, locale: str) -> str:
    """The Chinese name; in English the English one first (addresses are written in Chinese)."""
    if locale == "en" and division.name_en:
        return f"{division.name_en} · {division.name_zh}"
    return division.name_zh


def _fill_choices(form: AddressForm) -> None:
    """Each select offers the children of the one above; a choice outside them is cleared."""
    form.province_code.choices = _options(None, _("Choose a province"))
    province = form.province_code.data or ""
    if province not in {c for c, _ in form.province_code.choices}:
        province = form.province_code.data = ""
    form.city_code.choices = _options(province or False, _("Choose a city"))
    city = form.city_code.data or ""
    if city not in {c for c, _ in form.city_code.choices}:
        city = form.city_code.data = ""
    form.district_code.choices = _options(city or False, _("Choose a district"))
    if (form.district_code.data or "") not in {c for c, _ in form.district_code.choices}:
        form.district_code.data = ""


def _address_form_page(form: AddressForm, address=None):
    _fill_choices(form)
    if request.method == "POST" and not form.choose.data and form.validate_on_submit():
        data = {name: getattr(form, name).data for name in addresses.FIELDS}
        data["is_default"] = bool(form.is_default.data)
        try:
            if address is None:
                addresses.add_address(current_user, data)
            else:
                addresses.update_address(address, data)
        except addresses.AddressInvalid as exc:
            for name, reason in exc.fields.items():
                getattr(form, name).errors = [str(reason)]
        except addresses.DomainError as exc:
            flash(str(exc.message), "danger")
        else:
            flash(_("Address saved."), "success")
            return redirect(_safe_next(url_for("accounts.address_list")))
    return render_template(
        "accounts/address_form.html",
        form=form,
        address=address,
        next=request.values.get("next", ""),
    )


@bp.get("/account/addresses")
@login_required
def address_list():
    return render_template(
        "accounts/address_list.html",
        addresses=addresses.addresses_of(current_user),
        confirm=ConfirmAddressForm(),
    )


@bp.route("/account/addresses/new", methods=["GET", "POST"])
@login_required
def address_new():
    return _address_form_page(AddressForm())


def _own(address_id: int):
    return addresses.own_address(current_user, address_id) or abort(404)


@bp.route("/account/addresses/<int:address_id>/edit", methods=["GET", "POST"])
@login_required
def address_edit(address_id: int):
    address = _own(address_id)
    form = AddressForm(obj=address) if request.method == "GET" else AddressForm()
    return _address_form_page(form, address)


@bp.post("/account/addresses/<int:address_id>/delete")
@login_required
def address_delete(address_id: int):
    address = _own(address_id)
    if ConfirmAddressForm().validate_on_submit():
        addresses.delete_address(address)
        flash(_("Address deleted."), "info")
    return redirect(url_for("accounts.address_list"))


@bp.post("/account/addresses/<int:address_id>/default")
@login_required
def address_default(address_id: int):
    address = _own(address_id)
    if ConfirmAddressForm().validate_on_submit():
        addresses.make_default(address)
        flash(_("This is now your default address."), "success")
    return redirect(url_for("accounts.address_list"))
