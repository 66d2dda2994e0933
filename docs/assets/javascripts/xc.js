/* Edition behaviour: the print button.
 *
 * Plain script, no Material APIs: editions open from file:// and navigation.instant
 * is off, so every page load runs this once. Delegated on document, so a button
 * added later (or none at all) never throws.
 */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target || typeof target.closest !== "function") return;
    var button = target.closest("[data-xc-print]");
    if (!button) return;
    event.preventDefault();
    window.print();
  });
})();
