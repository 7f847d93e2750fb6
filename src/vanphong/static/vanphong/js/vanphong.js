/*
 * Vanphong — small progressive enhancements. No dependencies; works with
 * or without htmx loaded, and every page still works with JS turned off.
 *
 *  1. .lang-switch: changing the <select> submits its form; the submit
 *     button is hidden (class .lang-switch--auto) once this script runs.
 *  2. htmx: every request carries the CSRF token from
 *     <meta name="csrf-token" content="…"> as the X-CSRFToken header.
 *  3. [data-confirm="Question?"] on a form, a submit button, a link or an
 *     htmx-triggering element asks window.confirm() first.
 */
(function () {
  "use strict";

  /* ---------------------------------------------------------------- */
  /* 1. Language switcher                                              */
  /* ---------------------------------------------------------------- */

  function enhanceLangSwitches(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var forms = Array.prototype.slice.call(scope.querySelectorAll(".lang-switch"));
    if (scope.matches && scope.matches(".lang-switch")) {
      forms.push(scope);
    }
    forms.forEach(function (form) {
      if (form.querySelector("select")) {
        form.classList.add("lang-switch--auto");
      }
    });
  }

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select || select.tagName !== "SELECT") {
      return;
    }
    var form = select.closest(".lang-switch");
    if (!form || form.tagName !== "FORM") {
      return;
    }
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit(); // fires submit handlers, runs validation
    } else {
      form.submit();
    }
  });

  /* ---------------------------------------------------------------- */
  /* 2. CSRF token for htmx requests                                   */
  /* ---------------------------------------------------------------- */

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) {
      return meta.content;
    }
    var input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function onConfigRequest(event) {
    var token = csrfToken();
    if (token && event.detail && event.detail.headers) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  }

  /* ---------------------------------------------------------------- */
  /* 3. data-confirm                                                   */
  /* ---------------------------------------------------------------- */

  var HTMX_VERBS = ["hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete",
                    "data-hx-get", "data-hx-post", "data-hx-put",
                    "data-hx-patch", "data-hx-delete"];

  function triggersHtmx(el) {
    for (var i = 0; i < HTMX_VERBS.length; i++) {
      if (el.hasAttribute(HTMX_VERBS[i])) {
        return true;
      }
    }
    return false;
  }

  function isSubmitControl(el) {
    if (!el.form) {
      return false;
    }
    var type = (el.getAttribute("type") || "").toLowerCase();
    if (el.tagName === "BUTTON") {
      return type === "" || type === "submit";
    }
    return el.tagName === "INPUT" && (type === "submit" || type === "image");
  }

  function cancel(event) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }

  // Links, plain buttons and htmx-triggering elements: ask on click.
  // Forms and their submit buttons are asked once, on submit, below.
  document.addEventListener("click", function (event) {
    var el = event.target && event.target.closest
      ? event.target.closest("[data-confirm]")
      : null;
    if (!el || el.tagName === "FORM") {
      return;
    }
    if (isSubmitControl(el) && !triggersHtmx(el)) {
      return;
    }
    if (!window.confirm(el.getAttribute("data-confirm"))) {
      cancel(event);
    }
  }, true);

  // Capture phase on document: runs before htmx's own submit listener on
  // the form, so a cancelled confirm stops the htmx request as well.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = null;
    if (submitter && submitter.hasAttribute("data-confirm") && !triggersHtmx(submitter)) {
      message = submitter.getAttribute("data-confirm");
    } else if (form && form.hasAttribute && form.hasAttribute("data-confirm")) {
      message = form.getAttribute("data-confirm");
    }
    if (message !== null && !window.confirm(message)) {
      cancel(event);
    }
  }, true);

  /* ---------------------------------------------------------------- */
  /* Start                                                             */
  /* ---------------------------------------------------------------- */

  function start() {
    enhanceLangSwitches(document);
    document.body.addEventListener("htmx:configRequest", onConfigRequest);
    // Content swapped in by htmx gets the same enhancement.
    document.body.addEventListener("htmx:load", function (event) {
      enhanceLangSwitches(event.detail && event.detail.elt);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
