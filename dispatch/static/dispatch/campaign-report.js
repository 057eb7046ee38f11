/* The weekly report's print button (no inline handlers: the site's CSP forbids them). */
(function () {
  "use strict";
  var button = document.getElementById("c-print");
  if (button) button.addEventListener("click", function () { window.print(); });
})();
