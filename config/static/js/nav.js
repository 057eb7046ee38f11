/* The top bar folds into a "Menu" button on narrow screens (under 768 px). Without
   JavaScript the links simply stay visible. */
(function () {
  "use strict";
  var toggle = document.querySelector(".nav-toggle");
  var pages = document.getElementById("site-pages");
  if (!toggle || !pages) return;
  var narrow = window.matchMedia("(max-width: 767.98px)");
  function set(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    pages.classList.toggle("folded", !open);
  }
  function fit() {
    toggle.hidden = !narrow.matches;
    set(!narrow.matches);
  }
  toggle.addEventListener("click", function () {
    set(toggle.getAttribute("aria-expanded") !== "true");
  });
  if (narrow.addEventListener) narrow.addEventListener("change", fit);
  fit();
})();
