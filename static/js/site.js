/* Sasaeru: the menu, copy buttons and the error summary's focus (app.js has the confirmations
   and select-on-click), from a static file (no inline script; a strict
   Content-Security-Policy holds). Everything works without it: the menu is then always open
   and the copy buttons stay hidden. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    // The phone menu: a button that opens and closes the navigation.
    var button = document.querySelector(".menu-button");
    var menu = button && document.getElementById(button.getAttribute("aria-controls"));
    if (button && menu) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        button.setAttribute("aria-expanded", open ? "true" : "false");
        menu.classList.toggle("open", open);
      });
    }

    // Copy buttons: <button data-copy="#id-of-input"> copies that field's value.
    document.querySelectorAll("[data-copy]").forEach(function (copy) {
      var field = document.querySelector(copy.getAttribute("data-copy"));
      if (!field) return;
      copy.hidden = false;
      var status = document.getElementById(copy.getAttribute("data-copy-status") || "");
      copy.addEventListener("click", function () {
        var text = field.value || field.textContent;
        var done = function () {
          if (status) status.textContent = copy.getAttribute("data-copied") || "Copied";
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, function () {
            field.select(); document.execCommand("copy"); done();
          });
        } else {
          field.select(); document.execCommand("copy"); done();
        }
      });
    });

    // Searchable selects: <select data-search-label="..."> gets a filter box before it that
    // hides the options (and empty groups) whose text does not contain what is typed.
    document.querySelectorAll("select[data-search-label]").forEach(function (select, n) {
      var box = document.createElement("input");
      box.type = "search";
      box.id = (select.id || "select-" + n) + "-search";
      box.className = "select-search";
      box.setAttribute("aria-label", select.getAttribute("data-search-label"));
      box.setAttribute("placeholder", select.getAttribute("data-search-label"));
      box.setAttribute("aria-controls", select.id);
      select.parentNode.insertBefore(box, select);
      box.addEventListener("input", function () {
        var query = box.value.trim().toLowerCase();
        select.querySelectorAll("option").forEach(function (option) {
          option.hidden = !!option.value && option.textContent.toLowerCase().indexOf(query) < 0;
        });
        select.querySelectorAll("optgroup").forEach(function (group) {
          group.hidden = !group.querySelector("option:not([hidden])");
        });
      });
    });

    // Tables that stack on a phone keep their headings: each cell (after the first, the
    // row's name) carries its column's heading, which the phone layout shows before it.
    document.querySelectorAll("table.list.stack").forEach(function (table) {
      var headings = Array.prototype.map.call(
        table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (index > 0 && headings[index] && row.children.length === headings.length) {
            cell.setAttribute("data-label", headings[index]);
          }
        });
      });
    });

    // An error summary receives the focus when the page opens with one.
    // (again after "load": scrolling to a #fragment there would take it away).
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
      window.addEventListener("load", function () { summary.focus(); });
    }
  });
})();
