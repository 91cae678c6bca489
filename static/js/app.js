// Small page behaviours, without inline scripts (so a strict Content-Security-Policy holds).
(function () {
  "use strict";
  // The phone menu collapses only when this script runs; without it the menu stays open.
  document.documentElement.classList.add("js");

  function setupMenu() {
    var nav = document.querySelector("header.site nav");
    var toggle = nav && nav.querySelector(".menu-toggle");
    if (!toggle) { return; }
    toggle.hidden = false;
    function close() { nav.classList.remove("open"); toggle.setAttribute("aria-expanded", "false"); }
    toggle.addEventListener("click", function () {
      var open = !nav.classList.contains("open");
      nav.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("open")) { close(); toggle.focus(); }
    });
  }

  // The account menu is a <details>: keyboard and screen readers work without help; this
  // closes it on Escape or a click elsewhere, as a menu is expected to.
  function setupAccountMenu() {
    var details = document.querySelector("header.site .account details");
    if (!details) { return; }
    document.addEventListener("click", function (event) {
      if (details.open && !details.contains(event.target)) { details.open = false; }
    });
    details.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && details.open) {
        details.open = false;
        details.querySelector("summary").focus();
        event.stopPropagation();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupMenu();
    setupAccountMenu();
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
