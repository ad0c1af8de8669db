// Behaviour every page shares, without inline handlers (the Content-Security-Policy allows
// scripts from this site only):
//   <form data-confirm="質問">      asks before submitting; "Cancel" keeps the page as it is
//   <input data-select-on-click>    selects its text on a click (links to copy)
"use strict";
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
document.addEventListener("click", (event) => {
  const input = event.target.closest("input[data-select-on-click]");
  if (input) {
    input.select();
  }
});
