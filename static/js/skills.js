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
              option.label = item.fallback && item.note ? item.label + " (" + item.note + ")" : item.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are optional */ });
      }, 150);
    });
  }
  // Suggest vocabulary skills mentioned in the task description; a click adds one.
  function setupSuggestions(box) {
    var source = document.getElementById(box.getAttribute("data-suggest-from"));
    var target = document.getElementById(box.getAttribute("data-suggest-into"));
    var chips = box.querySelector(".chips");
    if (!source || !target) { return; }
    var timer = null;
    function present() {
      return target.value.split(",").map(function (p) { return p.trim().toLowerCase(); });
    }
    function refresh() {
      var text = source.value.trim();
      if (text.length < 10) { box.hidden = true; return; }
      fetch("/skills/from-text?text=" + encodeURIComponent(text.slice(0, 2000)),
            { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) {
          var have = present();
          chips.innerHTML = "";
          items.filter(function (i) { return have.indexOf(i.label.toLowerCase()) < 0; })
            .forEach(function (item) {
              var b = document.createElement("button");
              b.type = "button";
              b.textContent = "+ " + item.label;
              b.addEventListener("click", function () {
                var parts = target.value.split(",").map(function (p) { return p.trim(); })
                  .filter(Boolean);
                parts.push(item.label);
                target.value = parts.join(", ");
                b.remove();
              });
              chips.appendChild(b);
            });
          box.hidden = chips.children.length === 0;
        })
        .catch(function () { box.hidden = true; });
    }
    source.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 400); });
    refresh();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var inputs = document.querySelectorAll("[data-skill-input]");
    for (var i = 0; i < inputs.length; i++) { setup(inputs[i], i); }
    var boxes = document.querySelectorAll("[data-suggest-from]");
    for (var j = 0; j < boxes.length; j++) { setupSuggestions(boxes[j]); }
  });
})();
