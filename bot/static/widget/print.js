/* The print button on a persoonlijk-plan page (a file, so the page needs no inline script). */
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector("[data-print]");
  if (button) button.addEventListener("click", function () { window.print(); });
});
