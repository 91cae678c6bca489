// Type-ahead for comma-separated skill fields: suggests vocabulary skills for the term being
// typed. Progressive enhancement: without JavaScript the field is a plain text input.
(function () {
  "use strict";
  function setup(input, index) {
    var list = document.createElement("datalist");
    list.id = "skill-suggestions-" + index;
    document.body.appendChild(list);
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var parts = input.value.split(",");
        var term = parts[parts.length - 1].trim();
        if (term.length < 2) { return; }
        fetch("/skills/suggest?q=" + encodeURIComponent(term), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (items) {
            var head = parts.slice(0, -1).map(function (p) { return p.trim(); }).filter(Boolean);
            list.innerHTML = "";
            items.forEach(function (item) {
              var option = document.createElement("option");
              option.value = head.concat([item.label]).join(", ");
              option.label = item.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are optional */ });
      }, 150);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var inputs = document.querySelectorAll("[data-skill-input]");
    for (var i = 0; i < inputs.length; i++) { setup(inputs[i], i); }
  });
})();
