// Reports: the print button, and filter selects that reload the report when changed.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () {
    var form = select.form;
    (select.dataset.clears || "").split(" ").forEach(function (name) {
      if (name && form.elements[name]) { form.elements[name].value = ""; }
    });
    form.submit();
  });
});
