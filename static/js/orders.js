// Orders pages (no inline scripts: the CSP forbids them).

// Shop filters: choosing another county reloads the list of its townships.
document.querySelectorAll("select[data-resets]").forEach(function (select) {
  select.addEventListener("change", function () {
    var dependent = select.form.elements[select.dataset.resets];
    if (dependent) { dependent.value = ""; }
    select.form.submit();
  });
});
