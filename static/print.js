// A print button where a script can run (the receipt): the button is hidden without
// JavaScript, where the browser's own Print menu does the same.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
