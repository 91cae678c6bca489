// The task form: show only the fields of the chosen form (praktik, paid, voluntary).
// Without this script every field shows, grouped under its form; the server ignores the
// fields of the forms not chosen.
(function () {
  "use strict";
  var form = document.querySelector("form.task-form");
  if (!form) return;
  var radios = form.querySelectorAll("input[data-form-choice]");
  var groups = form.querySelectorAll("[data-form-fields]");
  function update() {
    var chosen = null;
    radios.forEach(function (radio) { if (radio.checked) chosen = radio.value; });
    groups.forEach(function (group) {
      // A group whose field has an error stays visible, so the error is never hidden.
      group.hidden = group.getAttribute("data-form-fields") !== chosen
        && group.querySelector(".has-error") === null;
    });
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
})();
