/*
 * The entry station: Enter sends the ballot and empties the field at once, so the operator types the
 * next ballot without waiting. Ballots go to the server one after another, in the order typed (a
 * queue of promises), so none is lost or reordered however fast the typing. A ballot the server
 * refuses comes back into the field with the reason shown. Without this script the form posts and
 * the page reloads, which works the same, only slower.
 */
(function () {
  "use strict";

  var queue = Promise.resolve();

  function restore(input, typed) {
    if (input.value === "") {
      input.value = typed;
      input.select();
    }
  }

  function send(form, input, typed) {
    var body = new FormData(form);
    body.set(input.name, typed);
    var feedback = document.getElementById("station-feedback");
    var offline = document.getElementById("station-offline");
    return fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        offline.hidden = true;
        feedback.innerHTML = html;
        var refused = feedback.querySelector("[data-typed]");
        if (refused) {
          restore(input, refused.getAttribute("data-typed"));
        }
      })
      .catch(function () {
        offline.hidden = false;
        restore(input, typed);
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches(".station__form") || !window.fetch) {
      return;
    }
    event.preventDefault();
    var input = form.querySelector(".station__input");
    var typed = input.value;
    input.value = "";
    input.focus();
    queue = queue.then(function () {
      return send(form, input, typed);
    });
  });

  // Tells automated checks (and anyone curious) that fast entry is active on this page.
  document.documentElement.setAttribute("data-station-ready", "1");
})();
