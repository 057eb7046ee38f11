/* The request page: a form that could not be saved brings its error summary into
   view and focus, so a screen-reader user hears what to fix. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
