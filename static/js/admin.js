// Admin pages: suggestions while typing a graduate's name or email in the assignment form.
// Progressive enhancement: without JavaScript the field is a plain text input and the server
// accepts the whole email or a part of the name or email that only one graduate matches.
// The suggestions fill a <datalist>, so the browser's own list handles the keyboard (arrow
// keys to move, Enter to choose, Escape to close); a polite live region says how many.
(function () {
  "use strict";

  function setup(box, index) {
    var input = box.querySelector("input");
    var status = box.querySelector("[data-suggest-status]");
    if (!input) { return; }
    var url = box.getAttribute("data-graduate-suggest");
    var minLength = parseInt(box.getAttribute("data-min-length"), 10) || 2;
    var caseworkerText = box.getAttribute("data-caseworker-text") || "{name}";
    var noCaseworkerText = box.getAttribute("data-no-caseworker-text") || "";
    var countText = box.getAttribute("data-count-text") || "{n}";
    var noneText = box.getAttribute("data-none-text") || "";

    var list = document.createElement("datalist");
    list.id = "graduate-suggestions-" + index;
    box.appendChild(list);
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");

    var timer = null;
    var asked = 0;  // only the answer to the newest question is shown

    function say(text) { if (status) { status.textContent = text; } }

    function fill(items) {
      list.textContent = "";
      items.forEach(function (item) {
        var option = document.createElement("option");
        option.value = item.email;
        var who = item.caseworker ? caseworkerText.replace("{name}", item.caseworker) : noCaseworkerText;
        option.label = item.name + " · " + who;
        option.textContent = option.label;
        list.appendChild(option);
      });
      say(items.length ? countText.replace("{n}", String(items.length)) : noneText);
    }

    function ask() {
      var term = input.value.trim();
      if (term.length < minLength) { list.textContent = ""; say(""); return; }
      // An exact pick from the list needs no new question.
      for (var i = 0; i < list.options.length; i++) {
        if (list.options[i].value === term) { return; }
      }
      var mine = ++asked;
      fetch(url + "?q=" + encodeURIComponent(term), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) { if (mine === asked) { fill(items); } })
        .catch(function () { /* suggestions are optional: the form works without them */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("[data-graduate-suggest]");
    for (var i = 0; i < boxes.length; i++) { setup(boxes[i], i); }
  });
})();
