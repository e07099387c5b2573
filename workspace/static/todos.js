// Drag and drop for to-dos: reorder within a list, or move to another list.
// Without JavaScript (or with a keyboard) the move up / move down buttons do the same.
(function () {
  "use strict";
  const csrf = document.querySelector('input[name="csrf_token"]');
  let dragged = null;
  let origin = null;

  function announce(text) {
    const status = document.getElementById("todo-status");
    if (status) status.textContent = text;
  }

  function itemAfter(list, y) {
    const items = [...list.querySelectorAll(":scope > li.todo:not(.dragging)")];
    return items.find((li) => {
      const box = li.getBoundingClientRect();
      return y < box.top + box.height / 2;
    });
  }

  function save(list) {
    const items = [...list.querySelectorAll(":scope > li.todo")];
    const body = new FormData();
    body.append("csrf_token", csrf ? csrf.value : "");
    body.append("list_id", list.dataset.listId);
    body.append("index", String(items.indexOf(dragged)));
    const url = list.dataset.moveUrl.replace(/\/todos\/0\/move$/, `/todos/${dragged.dataset.todoId}/move`);
    return fetch(url, { method: "POST", body, headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        announce(document.documentElement.lang === "fr" ? "Tâche déplacée." : "To-do moved.");
      });
  }

  document.addEventListener("dragstart", (event) => {
    const li = event.target.closest && event.target.closest("li.todo[draggable=true]");
    if (!li) return;
    dragged = li;
    origin = { list: li.parentElement, next: li.nextElementSibling };
    li.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", li.dataset.todoId);
  });

  document.addEventListener("dragover", (event) => {
    const list = event.target.closest && event.target.closest("ul.todos[data-list-id]");
    if (!dragged || !list) return;
    event.preventDefault();
    const after = itemAfter(list, event.clientY);
    if (after) list.insertBefore(dragged, after);
    else list.appendChild(dragged);
  });

  document.addEventListener("drop", (event) => {
    const list = event.target.closest && event.target.closest("ul.todos[data-list-id]");
    if (!dragged || !list) return;
    event.preventDefault();
    const moved = dragged;
    save(list).then(() => {
      if (list !== origin.list) window.location.reload();
    }).catch(() => {
      origin.list.insertBefore(moved, origin.next);
      window.location.reload();
    });
  });

  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
  });
})();
