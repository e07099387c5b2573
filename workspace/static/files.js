// Uploads with a progress bar, and a drop zone. Without JavaScript the form posts as usual.
(function () {
  "use strict";
  const form = document.querySelector("form[data-upload]");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  const input = form.querySelector('input[type="file"]');
  const zone = form.querySelector("[data-dropzone]");
  const box = form.querySelector("[data-progress]");
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-progress-text]");

  // The form is folded in <details id="upload">: the "Upload files" link at the top unfolds it.
  const panel = form.closest("details");
  const unfold = () => { if (panel && window.location.hash === "#" + panel.id) panel.open = true; };
  window.addEventListener("hashchange", unfold);
  unfold();

  ["dragenter", "dragover"].forEach((name) => zone.addEventListener(name, (event) => {
    event.preventDefault();
    zone.classList.add("dragging");
  }));
  ["dragleave", "drop"].forEach((name) => zone.addEventListener(name, () => zone.classList.remove("dragging")));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) input.files = event.dataTransfer.files;
  });

  form.addEventListener("submit", (event) => {
    if (!input.files.length) return; // let the server say what is missing
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    box.hidden = false;
    request.upload.addEventListener("progress", (progress) => {
      if (!progress.lengthComputable) return;
      const percent = Math.round((100 * progress.loaded) / progress.total);
      bar.value = percent;
      text.textContent = percent + " %";
    });
    const serverSaid = () => {
      try {
        return Object.values(JSON.parse(request.responseText).errors).flat().join(" ");
      } catch (error) {
        return "";
      }
    };
    const failed = () => {
      const messages = { 413: form.dataset.tooLarge, 507: form.dataset.noSpace };
      text.textContent = messages[request.status] || serverSaid() || form.dataset.failed;
      text.setAttribute("role", "alert");
    };
    request.addEventListener("load", () => {
      if (request.status === 201) window.location.reload();
      else failed();
    });
    request.addEventListener("error", failed);
    request.send(new FormData(form));
  });
})();
