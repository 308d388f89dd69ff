// Address form: choosing a province (or city) fills the next select at once from
// /api/v1/divisions. Without JavaScript the "Show the next level" button does the same
// by reloading the form.
document.querySelectorAll("form[data-address-form]").forEach(function (form) {
  var url = form.dataset.divisionsUrl;
  var chooseButton = form.querySelector("[data-choose]");
  var help = form.querySelector("[data-choose-help]");
  if (chooseButton) { chooseButton.hidden = true; }
  if (help) { help.hidden = true; }
  function clear(select) {
    while (select.options.length > 1) { select.remove(1); }
    select.value = "";
    select.disabled = true;
  }
  form.querySelectorAll("select[data-level-select]").forEach(function (select) {
    select.addEventListener("change", function () {
      var next = select.dataset.resets && form.elements[select.dataset.resets];
      if (!next) { return; }
      clear(next);
      var after = next.dataset.resets && form.elements[next.dataset.resets];
      if (after) { clear(after); }
      if (!select.value) { return; }
      fetch(url + "?parent=" + encodeURIComponent(select.value), { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (body) {
          var english = document.documentElement.lang === "en";
          body.items.forEach(function (item) {
            next.add(new Option(english && item.name_en ? item.name_en + " · " + item.name : item.name, item.code));
          });
          next.disabled = false;
        })
        .catch(function () {
          if (chooseButton) { chooseButton.hidden = false; }
          if (help) { help.hidden = false; }
        });
    });
  });
});
