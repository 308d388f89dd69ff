// Reports: filter selects that reload the report when changed (the print link: app.js).
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () {
    var form = select.form;
    (select.dataset.clears || "").split(" ").forEach(function (name) {
      if (name && form.elements[name]) { form.elements[name].value = ""; }
    });
    form.submit();
  });
});
