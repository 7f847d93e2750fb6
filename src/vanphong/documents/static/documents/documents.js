/*
 * Documents: keyboard-first entry for the văn thư, and saved directions as quick picks.
 *
 *  1. [data-keyboard-form]: Enter saves from any field (a select or the abstract too); Shift+Enter
 *     still starts a new line in a text area. After saving, the sender field has the focus again.
 *  2. The sender combobox: htmx fills #sender-options as the clerk types; ↓/↑ move through the
 *     matches, Enter or Tab picks one (its id goes into the hidden "sender" field), Escape closes the
 *     list. Typing again after a pick drops the picked id, so the typed name is what is kept.
 *  3. [data-direction-template] buttons fill the direction form (text, lead unit, deadline days).
 *
 * Without this script every form still posts and works; only the conveniences are missing.
 */
(function () {
  "use strict";

  function options(list) {
    return Array.prototype.slice.call(list.querySelectorAll('[role="option"]'));
  }

  function current(list) {
    return list.querySelector('[role="option"][aria-selected="true"]');
  }

  function openList(input, list, open) {
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function highlight(input, list, option) {
    options(list).forEach(function (o) {
      o.setAttribute("aria-selected", o === option ? "true" : "false");
    });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }
  }

  function pick(input, list, option) {
    var form = input.form;
    var hidden = form && form.querySelector('input[name="sender"]');
    input.value = option.getAttribute("data-name");
    if (hidden) {
      hidden.value = option.getAttribute("data-id");
    }
    openList(input, list, false);
  }

  function comboParts(target) {
    var box = target && target.closest ? target.closest("[data-combo]") : null;
    if (!box) {
      return null;
    }
    return { input: box.querySelector('[role="combobox"]'), list: box.querySelector('[role="listbox"]') };
  }

  document.addEventListener("keydown", function (event) {
    var parts = comboParts(event.target);
    if (parts && event.target === parts.input) {
      var list = parts.list;
      var all = options(list);
      var at = all.indexOf(current(list));
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!all.length) {
          return;
        }
        event.preventDefault();
        openList(parts.input, list, true);
        var next = event.key === "ArrowDown" ? Math.min(at + 1, all.length - 1) : Math.max(at - 1, 0);
        highlight(parts.input, list, all[next]);
        return;
      }
      if ((event.key === "Enter" || event.key === "Tab") && !list.hidden && at >= 0) {
        if (event.key === "Enter") {
          event.preventDefault();
        }
        pick(parts.input, list, all[at]);
        return;
      }
      if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        openList(parts.input, list, false);
        return;
      }
    }
    // 1. Enter saves from any field of a keyboard form.
    var field = event.target;
    var form = field && field.form;
    if (event.key !== "Enter" || !form || !form.hasAttribute("data-keyboard-form")) {
      return;
    }
    if (field.tagName === "TEXTAREA" && (event.shiftKey || event.ctrlKey)) {
      return;
    }
    if (field.tagName === "BUTTON" || field.type === "file" || field.type === "checkbox") {
      return;
    }
    event.preventDefault();
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  });

  document.addEventListener("input", function (event) {
    var parts = comboParts(event.target);
    if (parts && event.target === parts.input) {
      var hidden = parts.input.form && parts.input.form.querySelector('input[name="sender"]');
      if (hidden) {
        hidden.value = "";
      }
    }
  });

  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest ? event.target.closest('[role="option"]') : null;
    var parts = option && comboParts(option);
    if (parts) {
      event.preventDefault(); // keep the focus in the field
      pick(parts.input, parts.list, option);
    }
  });

  document.addEventListener("focusout", function (event) {
    var parts = comboParts(event.target);
    if (parts && event.target === parts.input) {
      openList(parts.input, parts.list, false);
    }
  });

  // htmx swapped new matches in: show the list when there is something to show.
  document.addEventListener("htmx:afterSwap", function (event) {
    var list = event.detail && event.detail.target;
    if (!list || list.getAttribute("role") !== "listbox") {
      return;
    }
    var parts = comboParts(list);
    if (parts) {
      openList(parts.input, list, list.children.length > 0 && document.activeElement === parts.input);
    }
  });

  // 3. Saved directions.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-direction-template]") : null;
    if (!button) {
      return;
    }
    var form = document.getElementById(button.getAttribute("data-target"));
    if (!form) {
      return;
    }
    var set = function (name, value) {
      var field = form.elements.namedItem(name);
      if (field && value !== null && value !== "") {
        field.value = value;
      }
    };
    set("template", button.getAttribute("data-template"));
    set("text", button.getAttribute("data-text"));
    set("lead_unit", button.getAttribute("data-lead"));
    set("deadline_days", button.getAttribute("data-days"));
    var text = form.elements.namedItem("text");
    if (text) {
      text.focus();
    }
  });
})();
