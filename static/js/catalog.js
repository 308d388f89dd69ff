// Catalog pages: more supplier rows on the lot form without a round trip to the server.
(function () {
  "use strict";

  var addRow = document.getElementById("add-contribution-row");
  if (addRow) {
    addRow.addEventListener("click", function (event) {
      // Without JavaScript the button submits the form and the server adds the row.
      event.preventDefault();
      var rows = document.querySelectorAll("#contribution-rows .contribution-row");
      var last = rows[rows.length - 1];
      var next = rows.length;
      var copy = last.cloneNode(true);
      // Field names look like contributions-3-quantity: renumber them for the new row.
      copy.querySelectorAll("[name], [id], label[for]").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) {
            el.setAttribute(attr, value.replace(/contributions-\d+-/, "contributions-" + next + "-"));
          }
        });
        if (el.tagName === "INPUT") {
          el.value = "";
          el.classList.remove("is-invalid");
        }
      });
      copy.querySelectorAll(".invalid-feedback").forEach(function (el) { el.remove(); });
      last.parentNode.appendChild(copy);
      var first = copy.querySelector("input");
      if (first) { first.focus(); }
    });
  }
})();
