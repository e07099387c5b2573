// Copy buttons: [data-copy="<id of a field>"] copies that field's value. Without JavaScript
// (or the clipboard) the button stays hidden and the field can be selected by hand.
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-copy]").forEach((button) => {
    const field = document.getElementById(button.dataset.copy);
    const status = button.parentElement.querySelector("[data-copy-status]");
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(field.value).then(() => {
        if (status) status.textContent = button.dataset.copied;
      });
    });
  });
})();
