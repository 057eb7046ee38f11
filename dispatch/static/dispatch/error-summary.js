// GOV.UK error-summary behaviour: focus the summary when the page loads with errors,
// and make each link move focus to its field with the question (label or legend) in view.
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var input = document.getElementById(link.getAttribute("href").slice(1));
    if (!input) return;
    event.preventDefault();
    var question = input.closest("fieldset");
    question = question ? question.querySelector("legend") : document.querySelector("label[for='" + input.id + "']");
    (question || input).scrollIntoView();
    input.focus({ preventScroll: true });
  });
})();
