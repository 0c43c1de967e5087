/* The steps editor of a UAT case (templates/testing/case_form.html): add, remove and move steps.
   Rows are renumbered after every change (form names steps-0-…, steps-1-… and the step numbers), so the
   formset receives the rows in the order shown. Without JavaScript the page still works: the step numbers
   order the rows and a "Remove" tick deletes one. */
(function () {
  "use strict";
  var box = document.getElementById("case-steps");
  if (!box) return;
  var prefix = box.getAttribute("data-prefix") || "steps";
  var list = box.querySelector("[data-step-list]");
  var template = box.querySelector("template[data-step-template]");
  var total = box.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
  var pattern = new RegExp("^(id_)?" + prefix + "-(\\d+|__prefix__)-");

  function rows() { return Array.prototype.slice.call(list.querySelectorAll(":scope > [data-step]")); }

  function enhance(row) {
    row.querySelectorAll("[data-js]").forEach(function (el) { el.hidden = false; });
    row.querySelectorAll("[data-nojs]").forEach(function (el) { el.hidden = true; });
  }

  function renumber() {
    rows().forEach(function (row, index) {
      row.querySelectorAll("[name], [id], label[for]").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value && pattern.test(value)) {
            el.setAttribute(attr, value.replace(pattern, function (match, id) { return (id || "") + prefix + "-" + index + "-"; }));
          }
        });
      });
      var position = row.querySelector("[data-step-position]");
      if (position) position.value = index + 1;
      var up = row.querySelector("[data-step-up]");
      var down = row.querySelector("[data-step-down]");
      if (up) up.disabled = index === 0;
      if (down) down.disabled = index === rows().length - 1;
    });
    total.value = rows().length;
  }

  function add() {
    var fragment = template.content.cloneNode(true);
    var row = fragment.querySelector("[data-step]");
    enhance(row);
    list.appendChild(fragment);
    renumber();
    var first = row.querySelector("textarea");
    if (first) first.focus();
  }

  box.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button || !box.contains(button)) return;
    var row = button.closest("[data-step]");
    if (button.hasAttribute("data-step-add")) {
      add();
    } else if (row && button.hasAttribute("data-step-remove")) {
      var filled = Array.prototype.some.call(row.querySelectorAll("[data-step-field]"), function (el) { return el.value.trim() !== ""; });
      if (filled && !window.confirm(box.getAttribute("data-confirm-remove") || "Remove this step?")) return;
      var next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      if (!rows().length) add();
      renumber();
      if (next) { var focus = next.querySelector("[data-step-remove]"); if (focus) focus.focus(); }
    } else if (row && button.hasAttribute("data-step-up") && row.previousElementSibling) {
      list.insertBefore(row, row.previousElementSibling);
      renumber();
      button.focus();
    } else if (row && button.hasAttribute("data-step-down") && row.nextElementSibling) {
      list.insertBefore(row.nextElementSibling, row);
      renumber();
      button.focus();
    }
  });

  // Rows ticked "Remove" before (a re-shown form) are dropped from view as well, so what is shown is what is saved.
  rows().forEach(function (row) {
    var tick = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
    if (tick && tick.checked) row.remove();
  });
  rows().forEach(enhance);
  box.querySelectorAll(":scope > [data-js]").forEach(function (el) { el.hidden = false; });
  box.querySelectorAll(":scope > [data-nojs]").forEach(function (el) { el.hidden = true; });
  if (!rows().length) add();
  renumber();
})();
