// Drag and drop on a folder page: drop a folder, a document or a file on a folder (a row of
// the list, or a folder of the path above it) to move it there. Without JavaScript, or with
// a keyboard, the move form of each item's page does the same; the server decides either way
// (a refusal is said on the page that loads next).
(function () {
  "use strict";
  const csrf = document.querySelector('input[name="csrf_token"]');
  let dragged = null;

  function target(event) {
    const place = event.target.closest && event.target.closest("[data-folder-id]");
    if (!place || !dragged || place === dragged) return null;
    return place;
  }

  document.addEventListener("dragstart", (event) => {
    const row = event.target.closest && event.target.closest("[data-move-url]");
    if (!row) return;
    dragged = row;
    row.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", row.dataset.moveUrl);
  });

  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    document.querySelectorAll(".drop-target").forEach((el) => el.classList.remove("drop-target"));
    dragged = null;
  });

  document.addEventListener("dragover", (event) => {
    const place = target(event);
    if (!place) return;
    event.preventDefault();
    document.querySelectorAll(".drop-target").forEach((el) => el.classList.remove("drop-target"));
    place.classList.add("drop-target");
  });

  document.addEventListener("drop", (event) => {
    const place = target(event);
    if (!place) return;
    event.preventDefault();
    const body = new FormData();
    body.append("csrf_token", csrf ? csrf.value : "");
    body.append("folder_id", place.dataset.folderId);
    fetch(dragged.dataset.moveUrl, { method: "POST", body, credentials: "same-origin" })
      .finally(() => window.location.reload());
  });
})();
