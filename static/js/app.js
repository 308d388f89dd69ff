// Shared by every page. Each page works without it; this only makes some things quicker.
(function () {
  "use strict";

  // Print buttons are links to the print view; with JavaScript they open the print dialog
  // at once, and a print view reached with ?autoprint=1 opens it when loaded.
  document.querySelectorAll("a[data-print]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  });
  if (new URLSearchParams(window.location.search).get("autoprint") === "1") {
    window.addEventListener("load", function () { window.print(); });
  }

  // The phone menu (a <details>): Escape closes it and gives the focus back to its button.
  var menu = document.querySelector("details.nav-menu");
  if (menu) {
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }
})();
